package io.github.atlasexport.simulator;

import io.github.atlasexport.atlas.ExportState;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a job's {@link JobPlan} has got to at a given instant. Pure and cheap, so state is computed
 * when a request asks for it rather than kept up to date by a timer.
 */
final class JobLifecycle {
    private JobLifecycle() {
    }

    static JobStatus at(Instant createdAt, JobPlan plan, Instant now) {
        int total = plan.collections();
        long elapsed = Duration.between(createdAt, now).toMillis();
        long queued = plan.queuedFor().toMillis();
        if (plan.outcome() == JobPlan.Outcome.HANG_QUEUED || elapsed < queued) {
            return new JobStatus(ExportState.QUEUED, 0, total, null, null, null);
        }
        long running = elapsed - queued;
        long runFor = plan.runFor().toMillis();
        boolean ranOut = running >= runFor;
        // Only a successful export gets through every collection; the others stop half way.
        int reachable = plan.outcome() == JobPlan.Outcome.SUCCESSFUL ? total : total / 2;
        int exported = ranOut ? reachable : (int) (reachable * running / runFor);
        if (!ranOut || plan.outcome() == JobPlan.Outcome.HANG) {
            return new JobStatus(ExportState.IN_PROGRESS, exported, total, null, null, null);
        }
        Instant finishedAt = createdAt.plusMillis(queued + runFor);
        return switch (plan.outcome()) {
            case FAILED -> new JobStatus(ExportState.FAILED, exported, total, finishedAt, plan.errorCode(), plan.failReason());
            case CANCELLED -> new JobStatus(ExportState.CANCELLED, exported, total, finishedAt, null, null);
            default -> new JobStatus(ExportState.SUCCESSFUL, exported, total, finishedAt, null, null);
        };
    }

    /**
     * A state forced through the control API, frozen from {@code at}. Any string is allowed; the
     * terminal ones get a {@code finishedAt}, Failed gets a reason.
     */
    static JobStatus forced(JobStatus current, String state, String reason, JobPlan plan, Instant at) {
        int exported = ExportState.SUCCESSFUL.equals(state) ? current.totalCollections() : current.exportedCollections();
        Instant finishedAt = ExportState.isTerminal(state) ? at : null;
        boolean failed = ExportState.FAILED.equals(state);
        return new JobStatus(state, exported, current.totalCollections(), finishedAt,
                failed ? plan.errorCode() : null,
                failed ? (reason == null ? plan.failReason() : reason) : null);
    }
}
