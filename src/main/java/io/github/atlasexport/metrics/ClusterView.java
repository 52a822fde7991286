package io.github.atlasexport.metrics;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.Observation;
import io.github.atlasexport.monitor.TrackedJob;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the gauges of one cluster show, as of its latest poll outcome. Immutable, so a scrape that
 * runs while a poll is recorded sees either the old or the new cluster, never half of each.
 *
 * <p>{@code jobs} holds references to the monitor's own {@link TrackedJob}s, so a tracked job costs
 * the metrics one array slot until it is scraped. They are sorted by id, the order of their labels,
 * so that each scrape's sort of the data points meets an already sorted run: linear, not n log n.
 *
 * @param jobs         the jobs that have per-job series: listed, and not terminal for longer than the history window
 * @param jobsByState  every listed job by state, sorted; documented states present at 0; empty until
 *                     the cluster was listed once (there is no list to count before)
 * @param stuckByState stuck jobs by state, sorted; Queued and InProgress present at 0 (once listed)
 * @param lastSuccess  finishedAt of the newest Successful job ever listed, or null
 * @param lastFailure  finishedAt (else stateSince) of the newest Failed job ever listed, or null
 * @param lastPoll     time of the latest successful poll, or null
 * @param firstPoll    time of the first successful poll (the baseline), or null
 */
record ClusterView(boolean up, Instant lastPoll, Instant firstPoll, List<TrackedJob> jobs,
                   Map<String, Integer> jobsByState, Map<String, Integer> stuckByState,
                   Instant lastSuccess, Instant lastFailure) {

    /**
     * The view after {@code o}. A failed poll carries the previous snapshot, so the same path also
     * re-applies the history window on failures: series still age out while Atlas is unreachable.
     */
    static ClusterView next(ClusterView previous, Observation o, Duration historyWindow) {
        ClusterSnapshot snapshot = o.snapshot();
        boolean listed = snapshot != null && !snapshot.neverPolled();
        Collection<TrackedJob> all = listed ? snapshot.jobs().values() : List.of();

        Map<String, Integer> byState = new TreeMap<>();
        Map<String, Integer> stuck = new TreeMap<>();
        if (listed) {
            ExportState.DOCUMENTED.forEach(s -> byState.put(s, 0));
            stuck.put(ExportState.QUEUED, 0);
            stuck.put(ExportState.IN_PROGRESS, 0);
        }
        Instant cutoff = o.at().minus(historyWindow);
        Instant lastSuccess = previous == null ? null : previous.lastSuccess;
        Instant lastFailure = previous == null ? null : previous.lastFailure;
        for (TrackedJob job : all) {
            String state = stateLabel(job.state());
            byState.merge(state, 1, Integer::sum);
            if (job.stuck()) {
                stuck.merge(state, 1, Integer::sum);
            }
            ExportJob body = job.job();
            if (ExportState.SUCCESSFUL.equals(state)) {
                lastSuccess = newest(lastSuccess, body.finishedAt());
            } else if (ExportState.FAILED.equals(state)) {
                lastFailure = newest(lastFailure, body.finishedAt() != null ? body.finishedAt() : job.stateSince());
            }
        }
        List<TrackedJob> kept = all.stream()
                .filter(j -> !expired(j, cutoff))
                .sorted(Comparator.comparing(TrackedJob::id))
                .toList();

        Instant lastPoll = o.succeeded() ? o.at() : previous == null ? null : previous.lastPoll;
        return new ClusterView(o.succeeded(), lastPoll, listed ? snapshot.firstPolledAt() : null, kept,
                Collections.unmodifiableMap(byState), Collections.unmodifiableMap(stuck),
                lastSuccess, lastFailure);
    }

    /** Terminal, and finished (or, lacking finishedAt, entered its state) before the cutoff. */
    private static boolean expired(TrackedJob job, Instant cutoff) {
        if (!ExportState.isTerminal(job.state())) {
            return false;
        }
        Instant end = job.job().finishedAt() != null ? job.job().finishedAt() : job.stateSince();
        return end.isBefore(cutoff);
    }

    private static Instant newest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    /** Atlas may omit {@code state}; an empty label value is Prometheus's "no value". */
    static String stateLabel(String state) {
        return state == null ? "" : state;
    }
}
