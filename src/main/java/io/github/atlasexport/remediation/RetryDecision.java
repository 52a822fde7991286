package io.github.atlasexport.remediation;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.monitor.RetryMarker;
import io.github.atlasexport.monitor.TrackedJob;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What to do about one job under {@code remediation.retryFailed}: a pure function of the job, the
 * cluster's jobs, whether its snapshot still exists, the attempts made so far, the clock and the policy.
 * The I/O shell ({@link Remediator}) asks first with {@code snapshotExists = true} and looks the
 * snapshot up only when the answer is {@link Action#CREATE}, then asks again with what Atlas said.
 *
 * @param attempt   for {@link Action#CREATE}: the number of the retry to make (1 for the first)
 * @param notBefore for {@link Action#WAIT}: when {@code after} has passed
 */
public record RetryDecision(Action action, int attempt, Instant notBefore) {
    /** States in which another job already covers the snapshot and bucket (SPEC: no other job is ...). */
    private static final Set<String> COVERING = Set.of(ExportState.QUEUED, ExportState.IN_PROGRESS, ExportState.SUCCESSFUL);

    public enum Action {
        /** Not a job the policy retries: disabled, not Failed, a retry itself, a code not listed, a cancelled retry. */
        NOT_APPLICABLE,
        /** Failed, but not for {@code after} yet. */
        WAIT,
        CREATE,
        SKIP_EXISTS,
        SKIP_SNAPSHOT_GONE,
        SKIP_ATTEMPTS
    }

    public RetryDecision {
        requireNonNull(action, "action must not be null");
    }

    /**
     * @param original      a job of the cluster; only a Failed one without the retry marker can be retried
     * @param clusterJobs   every job of the cluster the monitor tracks (the original and its retries included)
     * @param attemptsSoFar retries this monitor committed to for the original (its state store); the
     *                      retries found in {@code clusterJobs} count too, whichever is more
     */
    public static RetryDecision decide(TrackedJob original, Collection<TrackedJob> clusterJobs, boolean snapshotExists,
                                       int attemptsSoFar, Instant now, MonitorConfig.RetryFailed policy) {
        ExportJob job = original.job();
        if (!policy.enabled() || !ExportState.FAILED.equals(job.state()) || RetryMarker.retryOf(job).isPresent()) {
            return of(Action.NOT_APPLICABLE);
        }
        List<TrackedJob> retries = clusterJobs.stream()
                .filter(other -> RetryMarker.retryOf(other.job()).filter(job.id()::equals).isPresent())
                .toList();
        boolean covered = clusterJobs.stream()
                .filter(other -> !other.id().equals(job.id()))
                .anyMatch(other -> COVERING.contains(other.state())
                        && job.snapshotId() != null && job.snapshotId().equals(other.job().snapshotId())
                        && job.exportBucketId() != null && job.exportBucketId().equals(other.job().exportBucketId()));
        if (covered) {
            return of(Action.SKIP_EXISTS);
        }
        // The newest of the original and its retries says how the last try ended and since when.
        TrackedJob latest = retries.stream()
                .max(Comparator.comparing((TrackedJob r) -> r.job().createdAt(), Comparator.nullsFirst(Comparator.naturalOrder())))
                .orElse(original);
        if (!ExportState.FAILED.equals(latest.state())) {
            return of(Action.NOT_APPLICABLE); // a retry someone cancelled, or in a state nobody documented
        }
        if (!policy.errorCodes().isEmpty() && !policy.errorCodes().contains(errorCode(latest.job()))) {
            return of(Action.NOT_APPLICABLE);
        }
        int attempts = Math.max(attemptsSoFar, retries.size());
        if (attempts >= policy.maxAttempts()) {
            return of(Action.SKIP_ATTEMPTS);
        }
        Instant due = latest.stateSince().plus(policy.after());
        if (now.isBefore(due)) {
            return new RetryDecision(Action.WAIT, 0, due);
        }
        if (!snapshotExists) {
            return of(Action.SKIP_SNAPSHOT_GONE);
        }
        return new RetryDecision(Action.CREATE, attempts + 1, null);
    }

    private static String errorCode(ExportJob job) {
        return job.stateReason() == null ? null : job.stateReason().errorCode();
    }

    private static RetryDecision of(Action action) {
        return new RetryDecision(action, 0, null);
    }
}
