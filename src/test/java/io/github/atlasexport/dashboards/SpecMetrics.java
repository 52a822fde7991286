package io.github.atlasexport.dashboards;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The metric contract of SPEC section 5, copied here on purpose: dashboards and rules are checked
 * against the spec, not against whatever the monitor happens to export today.
 */
final class SpecMetrics {

    private static final String PREFIX = "atlas_export_";
    private static final List<String> CLUSTER = List.of("group_id", "cluster_name");
    private static final List<String> JOB = List.of("group_id", "cluster_name", "job_id");

    /** Metric name (as queried; counters with their _total) to its labels. */
    static final Map<String, Set<String>> LABELS = Map.ofEntries(
            metric(JOB, "job_state", "state"),
            metric(JOB, "job_info", "snapshot_id", "export_bucket_id", "sharded"),
            metric(JOB, "job_created_timestamp_seconds"),
            metric(JOB, "job_finished_timestamp_seconds"),
            metric(JOB, "job_state_since_timestamp_seconds"),
            metric(JOB, "job_exported_collections"),
            metric(JOB, "job_collections"),
            metric(CLUSTER, "jobs", "state"),
            metric(CLUSTER, "jobs_stuck", "state"),
            metric(CLUSTER, "last_success_timestamp_seconds"),
            metric(CLUSTER, "last_failure_timestamp_seconds"),
            metric(CLUSTER, "transitions_total", "from", "to"),
            metric(CLUSTER, "job_duration_seconds", "state"),
            metric(CLUSTER, "target_up"),
            metric(CLUSTER, "last_poll_timestamp_seconds"),
            metric(CLUSTER, "poll_duration_seconds"),
            metric(List.of(), "api_requests_total", "method", "endpoint", "status"),
            metric(List.of(), "api_rate_limited_total", "group_id"),
            metric(List.of(), "alerts_sent_total", "sink", "alertname"),
            metric(List.of(), "alerts_failed_total", "sink", "alertname"),
            metric(List.of(), "alert_queue", "sink"),
            metric(List.of(), "build_info", "version", "api_version"),
            metric(List.of(), "discovery_up", "group_id"),
            metric(CLUSTER, "snapshot_exported_timestamp_seconds"),
            metric(CLUSTER, "snapshots_unexported"),
            metric(CLUSTER, "policy_info", "auto_export", "frequency", "export_bucket_id"),
            metric(List.of("group_id"), "bucket_info", "export_bucket_id", "bucket_name", "cloud_provider"),
            metric(CLUSTER, "coverage_up"));

    static final Set<String> HISTOGRAMS = Set.of(
            PREFIX + "job_duration_seconds",
            PREFIX + "poll_duration_seconds");

    private static final Set<String> HISTOGRAM_SUFFIXES = Set.of("_bucket", "_sum", "_count");

    private SpecMetrics() {
    }

    /** The metric a queried series name belongs to: itself, or the histogram behind a _bucket/_sum/_count. */
    static Optional<String> metricOf(String seriesName) {
        if (LABELS.containsKey(seriesName)) {
            return Optional.of(seriesName);
        }
        for (String suffix : HISTOGRAM_SUFFIXES) {
            if (seriesName.endsWith(suffix)) {
                String base = seriesName.substring(0, seriesName.length() - suffix.length());
                if (HISTOGRAMS.contains(base)) {
                    return Optional.of(base);
                }
            }
        }
        return Optional.empty();
    }

    private static Map.Entry<String, Set<String>> metric(List<String> common, String name, String... extra) {
        Set<String> labels = new HashSet<>(common);
        labels.addAll(List.of(extra));
        return Map.entry(PREFIX + name, Set.copyOf(labels));
    }
}
