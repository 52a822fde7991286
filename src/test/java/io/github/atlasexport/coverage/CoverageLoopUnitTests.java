package io.github.atlasexport.coverage;

import io.github.atlasexport.atlas.AtlasApiException;
import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.BackupSchedule;
import io.github.atlasexport.atlas.Cluster;
import io.github.atlasexport.atlas.CreateExportJobRequest;
import io.github.atlasexport.atlas.ExportBucket;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.Project;
import io.github.atlasexport.atlas.Snapshot;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coverage loop over a scripted client, on virtual time: rounds, failures each on their own, a 403. */
class CoverageLoopUnitTests {
    private static final String DENIED = "5f0a1b2c3d4e5f6a7b8c9d01";
    private static final String OK = "5f0a1b2c3d4e5f6a7b8c9d02";
    private static final Duration INTERVAL = Duration.ofMinutes(15);
    private static final CoverageLoop.Options OPTIONS = new CoverageLoop.Options(INTERVAL, Duration.ofSeconds(30),
            Duration.ofMinutes(16), Duration.ofHours(6), 3);

    @Test
    void a403OnSnapshotsEndsThatProjectsCoverageOnlyAndOtherReadsFailOnTheirOwn() {
        Scripted atlas = new Scripted();
        List<ClusterSnapshot> watched = List.of(polled(DENIED, "A"), polled(OK, "B"), polled(OK, "Flaky"));

        StepVerifier.withVirtualTime(() -> new CoverageLoop(atlas, OPTIONS, () -> watched, Schedulers.parallel())
                        .reports(List.of(DENIED, OK)))
                .thenAwait(Duration.ofSeconds(30))
                .expectNextMatches(report -> report.groupId().equals(DENIED) && report.disabled()
                        && report.failed().equals(List.of(new ClusterKey(DENIED, "A"))))
                .expectNextMatches(report -> {
                    assertEquals(OK, report.groupId());
                    assertEquals(List.of(new ClusterKey(OK, "Flaky")), report.failed());
                    assertEquals(List.of("B"), report.covered().stream().map(c -> c.cluster().clusterName()).toList());
                    assertNull(report.buckets(), "the bucket listing failed, and only it");
                    return !report.disabled();
                })
                .thenAwait(INTERVAL)
                .expectNextMatches(report -> report.groupId().equals(OK))
                .thenAwait(INTERVAL)
                .expectNextMatches(report -> report.groupId().equals(OK))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertEquals(1, atlas.deniedReads.get(), "a refused project is not asked again");
    }

    @Test
    void aClusterNotPolledYetWaitsForTheNextRound() {
        Scripted atlas = new Scripted();
        List<ClusterSnapshot> watched = List.of(ClusterSnapshot.empty(new ClusterKey(OK, "B")));

        StepVerifier.withVirtualTime(() -> new CoverageLoop(atlas, OPTIONS, () -> watched, Schedulers.parallel())
                        .reports(List.of(OK)))
                .thenAwait(Duration.ofSeconds(30))
                .expectNextMatches(report -> report.covered().isEmpty() && report.failed().isEmpty())
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertTrue(atlas.scheduleReads.get() == 0);
    }

    private static ClusterSnapshot polled(String groupId, String name) {
        Instant at = Instant.EPOCH;
        return new ClusterSnapshot(new ClusterKey(groupId, name), Map.of(), at, at);
    }

    /** Project DENIED answers 403 to snapshots; cluster Flaky's schedule answers 503; OK's buckets fail. */
    private static final class Scripted implements AtlasClient {
        final AtomicInteger deniedReads = new AtomicInteger();
        final AtomicInteger scheduleReads = new AtomicInteger();

        @Override
        public Mono<BackupSchedule> getBackupSchedule(String groupId, String clusterName) {
            scheduleReads.incrementAndGet();
            return clusterName.equals("Flaky") ? Mono.error(error(503))
                    : Mono.just(new BackupSchedule(clusterName, true, new BackupSchedule.Export("b", "daily"), false));
        }

        @Override
        public Flux<Snapshot> listSnapshots(String groupId, String clusterName, boolean sharded) {
            if (groupId.equals(DENIED)) {
                deniedReads.incrementAndGet();
                return Flux.error(error(403));
            }
            return Flux.just(new Snapshot("s1", Instant.EPOCH, "completed", "daily", "scheduled", "replicaSet"));
        }

        @Override
        public Flux<ExportBucket> listExportBuckets(String groupId) {
            return groupId.equals(OK) ? Flux.error(error(500)) : Flux.empty();
        }

        @Override
        public Mono<Snapshot> getSnapshot(String groupId, String clusterName, String snapshotId) {
            return Mono.error(new UnsupportedOperationException("coverage reads no single snapshot"));
        }

        private static AtlasApiException error(int status) {
            return new AtlasApiException(status, "SCRIPTED", "scripted", "GET", "/scripted", null, null);
        }

        @Override
        public Flux<ExportJob> listExportJobs(String groupId, String clusterName) {
            return Flux.error(new UnsupportedOperationException());
        }

        @Override
        public Mono<ExportJob> getExportJob(String groupId, String clusterName, String exportId) {
            return Mono.error(new UnsupportedOperationException());
        }

        @Override
        public Mono<ExportJob> createExportJob(String groupId, String clusterName, CreateExportJobRequest request) {
            return Mono.error(new UnsupportedOperationException());
        }

        @Override
        public Flux<Project> listProjects() {
            return Flux.empty();
        }

        @Override
        public Flux<Cluster> listClusters(String groupId) {
            return Flux.empty();
        }

        @Override
        public void close() {
        }
    }
}
