package io.github.atlasexport.monitor;

import io.github.atlasexport.atlas.AtlasApiException;
import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.BackupSchedule;
import io.github.atlasexport.atlas.Cluster;
import io.github.atlasexport.atlas.CreateExportJobRequest;
import io.github.atlasexport.atlas.ExportBucket;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.Project;
import io.github.atlasexport.atlas.Snapshot;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * A scripted in-memory Atlas for schedule tests under virtual time, where a real server cannot
 * follow a virtual clock. Integration tests use the real simulator instead.
 */
final class ScriptedAtlasClient implements AtlasClient {
    private static final Pattern CLUSTER_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9-]*$");
    final Map<ClusterKey, List<ExportJob>> jobs = new ConcurrentHashMap<>();
    final Map<String, List<String>> clusters = new ConcurrentHashMap<>();
    final Map<ClusterKey, Integer> failing = new ConcurrentHashMap<>();
    final Set<String> failingDiscovery = ConcurrentHashMap.newKeySet();
    /** Clusters whose list never answers. */
    final Set<ClusterKey> hanging = ConcurrentHashMap.newKeySet();
    /** Clusters whose list answers only once their signal completes. */
    final Map<ClusterKey, Mono<Void>> answerWhen = new ConcurrentHashMap<>();
    final List<ClusterKey> listCalls = new CopyOnWriteArrayList<>();

    @Override
    public Flux<ExportJob> listExportJobs(String groupId, String clusterName) {
        if (!CLUSTER_NAME.matcher(clusterName).matches()) {
            // As the real client does: before any request, by throwing rather than by an error signal.
            throw new IllegalArgumentException("clusterName '" + clusterName + "' does not match " + CLUSTER_NAME);
        }
        ClusterKey key = new ClusterKey(groupId, clusterName);
        return Flux.defer(() -> {
            listCalls.add(key);
            if (hanging.contains(key)) {
                return Flux.never();
            }
            Integer status = failing.get(key);
            if (status != null) {
                return Flux.error(new AtlasApiException(status, "UNEXPECTED_ERROR", "scripted", "GET",
                        "/groups/{groupId}/clusters/{clusterName}/backup/exports", null, null));
            }
            Flux<ExportJob> listed = Flux.fromIterable(jobs.getOrDefault(key, List.of()));
            Mono<Void> answer = answerWhen.get(key);
            return answer == null ? listed : answer.thenMany(listed);
        });
    }

    @Override
    public Mono<ExportJob> getExportJob(String groupId, String clusterName, String exportId) {
        return listExportJobs(groupId, clusterName).filter(job -> job.id().equals(exportId)).next();
    }

    @Override
    public Mono<ExportJob> createExportJob(String groupId, String clusterName, CreateExportJobRequest request) {
        return Mono.error(new UnsupportedOperationException("the scripted client does not create jobs"));
    }

    @Override
    public Mono<io.github.atlasexport.atlas.Snapshot> getSnapshot(String groupId, String clusterName, String snapshotId) {
        return Mono.error(new UnsupportedOperationException("the scripted client has no snapshots"));
    }

    @Override
    public Flux<Project> listProjects() {
        return Flux.fromIterable(clusters.keySet()).map(id -> new Project(id, id));
    }

    @Override
    public Flux<Cluster> listClusters(String groupId) {
        return Flux.defer(() -> failingDiscovery.contains(groupId)
                        ? Flux.error(new AtlasApiException(503, "SERVICE_UNAVAILABLE", "scripted", "GET",
                                "/groups/{groupId}/clusters", null, null))
                        : Flux.fromIterable(clusters.getOrDefault(groupId, List.of())))
                .map(name -> new Cluster(groupId, name, "REPLICASET"));
    }

    @Override
    public Mono<BackupSchedule> getBackupSchedule(String groupId, String clusterName) {
        return Mono.error(new UnsupportedOperationException("the scripted client does not read coverage"));
    }

    @Override
    public Flux<Snapshot> listSnapshots(String groupId, String clusterName, boolean sharded) {
        return Flux.error(new UnsupportedOperationException("the scripted client does not read coverage"));
    }

    @Override
    public Flux<ExportBucket> listExportBuckets(String groupId) {
        return Flux.error(new UnsupportedOperationException("the scripted client does not read coverage"));
    }

    long callsFor(ClusterKey key) {
        return listCalls.stream().filter(key::equals).count();
    }

    @Override
    public void close() {
    }
}
