package io.github.atlasexport.metrics;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.JobEvent;
import io.github.atlasexport.monitor.Observation;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Duration;
import java.util.List;

/**
 * The per-cluster counters and histograms fed by poll outcomes and job events. They accumulate
 * across polls, so unlike the gauges they cannot be derived from the latest snapshot; they are
 * prometheus-metrics-core metrics with a handful of children per cluster.
 */
final class EventCounters {

    /** SPEC: 1 minute to 24 hours. */
    static final double[] JOB_DURATION_BUCKETS = {60, 300, 600, 1800, 3600, 7200, 14400, 28800, 43200, 86400};

    /** One page takes tens of milliseconds; many pages, retries after 429s or a slow Atlas take up to a minute. */
    static final double[] POLL_DURATION_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60};

    /** A job seen for the first time has no previous state. */
    static final String NONE = "none";

    private final Counter transitions;
    private final Histogram jobDuration;
    private final Histogram pollDuration;

    EventCounters(PrometheusRegistry registry) {
        transitions = Counter.builder()
                .name("atlas_export_transitions_total")
                .help("Export job state changes observed by the monitor; from=\"none\" when a job is first seen,"
                        + " including the jobs already listed at the first poll of a cluster.")
                .labelNames("group_id", "cluster_name", "from", "to")
                .withoutExemplars()
                .register(registry);
        jobDuration = Histogram.builder()
                .name("atlas_export_job_duration_seconds")
                .help("createdAt to finishedAt of export jobs the monitor saw finish, by final state.")
                .labelNames("group_id", "cluster_name", "state")
                .classicOnly()
                .classicUpperBounds(JOB_DURATION_BUCKETS)
                .withoutExemplars()
                .register(registry);
        pollDuration = Histogram.builder()
                .name("atlas_export_poll_duration_seconds")
                .help("Time to list all export jobs of a cluster (all pages), successful polls only.")
                .labelNames("group_id", "cluster_name")
                .classicOnly()
                .classicUpperBounds(POLL_DURATION_BUCKETS)
                .withoutExemplars()
                .register(registry);
    }

    void record(Observation o) {
        String group = o.cluster().groupId();
        String cluster = o.cluster().clusterName();
        if (o.succeeded() && o.pollDuration() != null) {
            pollDuration.labelValues(group, cluster).observe(seconds(o.pollDuration()));
        }
        for (JobEvent event : o.events()) {
            String to = ClusterView.stateLabel(event.job().state());
            if (event instanceof JobEvent.JobSeen seen) {
                transitions.labelValues(group, cluster, NONE, to).inc();
                // A new job that is already over finished after the previous poll: it was seen to
                // finish. Leaving it out would bias the histogram against jobs shorter than a poll.
                if (!seen.baseline()) {
                    observeFinish(group, cluster, event.job().job());
                }
            } else if (event instanceof JobEvent.StateChanged changed) {
                transitions.labelValues(group, cluster, ClusterView.stateLabel(changed.previousState()), to).inc();
                observeFinish(group, cluster, event.job().job());
            }
        }
    }

    private void observeFinish(String group, String cluster, ExportJob job) {
        if (!ExportState.isTerminal(job.state()) || job.createdAt() == null || job.finishedAt() == null) {
            return;
        }
        Duration took = Duration.between(job.createdAt(), job.finishedAt());
        if (!took.isNegative()) {
            jobDuration.labelValues(group, cluster, job.state()).observe(seconds(took));
        }
    }

    void forget(ClusterKey key) {
        // The first two label values of every metric here are group_id and cluster_name.
        transitions.removeIf(values -> ofCluster(values, key));
        jobDuration.removeIf(values -> ofCluster(values, key));
        pollDuration.removeIf(values -> ofCluster(values, key));
    }

    private static boolean ofCluster(List<String> labelValues, ClusterKey key) {
        return labelValues.get(0).equals(key.groupId()) && labelValues.get(1).equals(key.clusterName());
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
