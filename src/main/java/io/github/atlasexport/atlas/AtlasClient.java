package io.github.atlasexport.atlas;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Non-blocking access to the export-job endpoints of the Atlas Administration API. Every method
 * errors with {@link AtlasApiException} once retries are exhausted or for a non-retryable answer.
 */
public interface AtlasClient extends AutoCloseable {

    /** Every export job of a cluster, all pages, in the order Atlas returns them, each job once. */
    Flux<ExportJob> listExportJobs(String groupId, String clusterName);

    Mono<ExportJob> getExportJob(String groupId, String clusterName, String exportId);

    Mono<ExportJob> createExportJob(String groupId, String clusterName, CreateExportJobRequest request);

    /** One snapshot of a cluster; errors with a 404 {@link AtlasApiException} once it has expired. */
    Mono<Snapshot> getSnapshot(String groupId, String clusterName, String snapshotId);

    /** Discovery: every project the credentials can see. */
    Flux<Project> listProjects();

    /** Discovery: every cluster of a project. */
    Flux<Cluster> listClusters(String groupId);

    /** Coverage: the cluster's backup schedule, auto-export policy included. */
    Mono<BackupSchedule> getBackupSchedule(String groupId, String clusterName);

    /**
     * Coverage: the cluster's snapshots, all pages; the replica-set list, or the sharded-cluster list
     * when {@code sharded}.
     */
    Flux<Snapshot> listSnapshots(String groupId, String clusterName, boolean sharded);

    /** Coverage: the project's export buckets. */
    Flux<ExportBucket> listExportBuckets(String groupId);

    @Override
    void close();
}
