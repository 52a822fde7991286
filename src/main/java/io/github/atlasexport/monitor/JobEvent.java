package io.github.atlasexport.monitor;

import io.github.atlasexport.atlas.ExportJob;

import java.time.Duration;
import java.time.Instant;

/** What changed about one job between two polls. Produced by the differ; consumed by metrics and alerts. */
public sealed interface JobEvent {

    ClusterKey cluster();

    /** The job after the change. */
    TrackedJob job();

    Instant at();

    /**
     * A job not in the previous snapshot. {@code baseline} is true when the monitor had never polled
     * the cluster before: the job predates the monitor, so its state is not news.
     */
    record JobSeen(ClusterKey cluster, TrackedJob job, Instant at, boolean baseline) implements JobEvent {
    }

    record StateChanged(ClusterKey cluster, TrackedJob job, String previousState, Instant at) implements JobEvent {
    }

    record ProgressChanged(ClusterKey cluster, TrackedJob job, ExportJob.ExportStatus previous, Instant at)
            implements JobEvent {
    }

    /** The job has been in {@code job.state()} longer than its threshold. Emitted once per stay in a state. */
    record StuckDetected(ClusterKey cluster, TrackedJob job, Duration inState, Instant at) implements JobEvent {
    }

    /**
     * The job is no longer in the cluster's list. {@code job} is its last known form; it stays in the
     * snapshot's {@link ClusterSnapshot#departed() departed} jobs for a while, as one list can miss a job.
     */
    record JobLeft(ClusterKey cluster, TrackedJob job, Instant at) implements JobEvent {
    }
}
