package io.github.atlasexport.monitor;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.config.MonitorConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * Turns one cluster's previous snapshot and its freshly listed jobs into the next snapshot and the
 * events between them. Pure: no I/O and no clock, {@code now} is the poll's time, so the same
 * inputs always give the same answer (which is what lets the tests and a restart replay it).
 */
public final class ExportJobDiffer {

    private ExportJobDiffer() {
    }

    /**
     * @param previous   the cluster's last snapshot ({@link ClusterSnapshot#empty} if never polled)
     * @param current    the jobs Atlas listed just now; a repeated id keeps its first position and its
     *                   last body, and a null entry or a job without an id is skipped (it cannot be tracked)
     * @param thresholds stuck thresholds for this cluster; null, or a null or non-positive duration,
     *                   disables that check
     * @param memory     how long a job missing from the list is remembered ({@link DepartedJob}): one
     *                   that comes back within it is the job the monitor knew, not a new one
     * @return the new snapshot (observed at {@code now}) and its events: for each current job in list
     *         order its JobSeen / StateChanged / ProgressChanged then any StuckDetected, followed by
     *         JobLeft for vanished jobs in the previous snapshot's order
     */
    public static DiffResult diff(ClusterSnapshot previous, List<ExportJob> current, Instant now,
                                  MonitorConfig.Stuck thresholds, Duration memory) {
        requireNonNull(previous, "previous must not be null");
        requireNonNull(current, "current must not be null");
        requireNonNull(now, "now must not be null");
        requireNonNull(memory, "memory must not be null");

        ClusterKey cluster = previous.key();
        List<JobEvent> events = new ArrayList<>();
        Map<String, TrackedJob> next = new LinkedHashMap<>();
        for (ExportJob job : latestById(current).values()) {
            TrackedJob before = known(previous, job.id());
            TrackedJob after = before == null
                    ? seen(cluster, job, now, previous.neverPolled(), events)
                    : changed(cluster, before, job, now, events);
            next.put(job.id(), checkStuck(cluster, after, now, thresholds, events));
        }
        Map<String, DepartedJob> departed = new LinkedHashMap<>();
        Instant forgetBefore = now.minus(memory);
        previous.departed().forEach((id, gone) -> {
            if (!next.containsKey(id) && !gone.leftAt().isBefore(forgetBefore)) {
                departed.put(id, gone);
            }
        });
        previous.jobs().forEach((id, gone) -> {
            if (!next.containsKey(id)) {
                events.add(new JobEvent.JobLeft(cluster, gone, now));
                departed.put(id, new DepartedJob(gone, now));
            }
        });
        Instant firstPolledAt = previous.neverPolled() ? now : previous.firstPolledAt();
        return new DiffResult(new ClusterSnapshot(cluster, next, now, firstPolledAt, departed), events);
    }

    /** The job as the monitor last knew it, listed last time or departed since; null if never seen. */
    private static TrackedJob known(ClusterSnapshot previous, String id) {
        TrackedJob listed = previous.jobs().get(id);
        if (listed != null) {
            return listed;
        }
        DepartedJob departed = previous.departed().get(id);
        return departed == null ? null : departed.job();
    }

    private static Map<String, ExportJob> latestById(List<ExportJob> current) {
        Map<String, ExportJob> byId = new LinkedHashMap<>();
        for (ExportJob job : current) {
            if (job != null && job.id() != null) {
                byId.put(job.id(), job);
            }
        }
        return byId;
    }

    private static TrackedJob seen(ClusterKey cluster, ExportJob job, Instant now, boolean baseline,
                                   List<JobEvent> events) {
        // A job still waiting may have sat in its state since it was created: start the stuck timer
        // there, so a job that hung before the monitor started is caught on the first poll, not hours
        // later. An ended job needs no timer; its clock (exported as state-since) stays "first seen",
        // so the Prometheus rules can tell an end seen after the first poll from one already there.
        Instant created = job.createdAt();
        boolean waiting = !job.terminal();
        Instant clockStart = waiting && created != null && created.isBefore(now) ? created : now;
        TrackedJob tracked = new TrackedJob(job, now, now, clockStart, false);
        events.add(new JobEvent.JobSeen(cluster, tracked, now, baseline));
        return tracked;
    }

    private static TrackedJob changed(ClusterKey cluster, TrackedJob before, ExportJob job, Instant now,
                                      List<JobEvent> events) {
        // Most jobs of a steady cluster are unchanged: keeping the tracked job the monitor already
        // holds leaves the fresh copy as young garbage instead of replacing long-lived objects.
        if (before.job().equals(job)) {
            return before;
        }
        if (!Objects.equals(before.state(), job.state())) {
            TrackedJob tracked = new TrackedJob(job, before.firstSeen(), now, now, false);
            events.add(new JobEvent.StateChanged(cluster, tracked, before.state(), now));
            return tracked;
        }
        TrackedJob tracked = new TrackedJob(job, before.firstSeen(), before.stateSince(),
                before.stuckClockStart(), before.stuck());
        ExportJob.ExportStatus was = before.job().exportStatus();
        if (!Objects.equals(was, job.exportStatus())) {
            events.add(new JobEvent.ProgressChanged(cluster, tracked, was, now));
        }
        return tracked;
    }

    /** Stuck is flagged once per stay in a state; only a state change clears it. */
    private static TrackedJob checkStuck(ClusterKey cluster, TrackedJob tracked, Instant now,
                                         MonitorConfig.Stuck thresholds, List<JobEvent> events) {
        Duration threshold = threshold(tracked.job(), thresholds);
        if (tracked.stuck() || threshold == null) {
            return tracked;
        }
        Duration inState = Duration.between(tracked.stuckClockStart(), now);
        if (inState.compareTo(threshold) < 0) {
            return tracked;
        }
        TrackedJob stuck = new TrackedJob(tracked.job(), tracked.firstSeen(), tracked.stateSince(),
                tracked.stuckClockStart(), true);
        events.add(new JobEvent.StuckDetected(cluster, stuck, inState, now));
        return stuck;
    }

    /**
     * The enabled threshold for a job's state, or null: Queued has its own, InProgress and any state Atlas
     * added later that has not ended (no {@code finishedAt}) share the InProgress one; ended jobs, and jobs
     * that name no state at all, cannot be stuck.
     */
    private static Duration threshold(ExportJob job, MonitorConfig.Stuck thresholds) {
        if (thresholds == null || job.state() == null || job.terminal()) {
            return null;
        }
        Duration threshold = ExportState.QUEUED.equals(job.state()) ? thresholds.queuedAfter() : thresholds.inProgressAfter();
        return threshold == null || threshold.isZero() || threshold.isNegative() ? null : threshold;
    }
}
