package io.github.atlasexport.simulator;

import io.github.atlasexport.atlas.ExportJob;

import java.time.Instant;
import java.util.List;

/** One export job: its script and, once the control API forces one, a frozen state. */
final class SimJob {
    private final long serial;
    private final Instant createdAt;
    private final JobPlan plan;
    private final String snapshotId;
    private final String exportBucketId;
    private final List<ExportJob.CustomData> customData;
    private volatile JobStatus forced;

    SimJob(long serial, Instant createdAt, JobPlan plan, String snapshotId, String exportBucketId,
           List<ExportJob.CustomData> customData) {
        this.serial = serial;
        this.createdAt = createdAt;
        this.plan = plan;
        this.snapshotId = snapshotId;
        this.exportBucketId = exportBucketId;
        this.customData = List.copyOf(customData);
    }

    String id() {
        return SimIds.of(SimIds.JOB, serial);
    }

    long serial() {
        return serial;
    }

    Instant createdAt() {
        return createdAt;
    }

    String snapshotId() {
        return snapshotId;
    }

    String exportBucketId() {
        return exportBucketId;
    }

    List<ExportJob.CustomData> customData() {
        return customData;
    }

    JobStatus status(Instant now) {
        JobStatus frozen = forced;
        return frozen != null ? frozen : JobLifecycle.at(createdAt, plan, now);
    }

    void force(String state, String reason, Instant now) {
        forced = JobLifecycle.forced(status(now), state, reason, plan, now);
    }
}
