package io.github.atlasexport.bench;

import io.github.atlasexport.atlas.ExportJobPageParser;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.metrics.ExportMetrics;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.DiffResult;
import io.github.atlasexport.monitor.ExportJobDiffer;
import io.github.atlasexport.monitor.LiveTargets;
import io.github.atlasexport.monitor.Observation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Clusters of {@link ExportJobPages} jobs taken through what the monitor does per poll: the client's
 * parse, the differ, and the observation handed to the metrics and the live targets. Holds what a
 * running monitor holds: each poll loop's latest snapshot, {@link LiveTargets} and {@link ExportMetrics}.
 */
public final class TrackedFleet {
    public static final String GROUP = "6560a1010000000000000000";
    /** Long enough that no job of a page (125 days of history) ages out of the per-job series. */
    public static final Duration HISTORY_WINDOW = Duration.ofDays(3650);
    static final MonitorConfig.Stuck STUCK = new MonitorConfig.Stuck(Duration.ofHours(6), Duration.ofHours(1), "warning");

    private final Map<ClusterKey, ClusterSnapshot> pollLoops = new HashMap<>();
    private final LiveTargets live = new LiveTargets();
    private final ExportMetrics metrics;

    public TrackedFleet(ExportMetrics metrics) {
        this.metrics = metrics;
    }

    /** Polls {@code clusters} clusters of {@code jobsPerCluster} jobs twice each (the second in steady state). */
    public TrackedFleet poll(int clusters, int jobsPerCluster) {
        for (int tick = 0; tick < 2; tick++) {
            Instant now = ExportJobPages.NEWEST.plusSeconds(60L * (tick + 1));
            for (int c = 0; c < clusters; c++) {
                ClusterKey key = new ClusterKey(GROUP, ExportJobPages.clusterName(c));
                Observation observation = observe(pollLoops.getOrDefault(key, ClusterSnapshot.empty(key)),
                        ExportJobPages.page(GROUP, c, jobsPerCluster, tick), now);
                pollLoops.put(key, observation.snapshot());
                metrics.record(observation);
                live.record(observation);
            }
        }
        return this;
    }

    /** What the poller makes of one listed page: the client's parse, the differ, the observation. */
    static Observation observe(ClusterSnapshot previous, byte[] page, Instant now) {
        try {
            DiffResult diff = ExportJobDiffer.diff(previous, ExportJobPageParser.parse(page), now, STUCK,
                    Duration.ofDays(7));
            return new Observation(previous.key(), now, Duration.ofMillis(80), null, diff.snapshot(), diff.events());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int jobs() {
        return pollLoops.values().stream().mapToInt(s -> s.jobs().size()).sum();
    }
}
