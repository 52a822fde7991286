package io.github.atlasexport.metrics;

import io.github.atlasexport.monitor.ClusterKey;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.List;

/** {@code atlas_export_remediations_total}: what the retry policy did, per cluster and outcome. */
final class RemediationMetrics {
    /** SPEC section 5; each is pre-created at a cluster's first outcome, so a rate over any of them starts at 0. */
    static final List<String> OUTCOMES = List.of("created", "dry_run", "skipped_exists", "skipped_snapshot_gone",
            "skipped_attempts", "error");

    private final Counter remediations;

    RemediationMetrics(PrometheusRegistry registry) {
        remediations = Counter.builder()
                .name("atlas_export_remediations_total")
                .help("Failed export jobs the retry policy acted on, by outcome: created, dry_run, skipped_exists, "
                        + "skipped_snapshot_gone, skipped_attempts, error.")
                .labelNames("group_id", "cluster_name", "outcome")
                .withoutExemplars()
                .register(registry);
    }

    void record(ClusterKey cluster, String outcome) {
        if (!OUTCOMES.contains(outcome)) {
            throw new IllegalArgumentException("not a remediation outcome: " + outcome);
        }
        OUTCOMES.forEach(each -> remediations.labelValues(cluster.groupId(), cluster.clusterName(), each));
        remediations.labelValues(cluster.groupId(), cluster.clusterName(), outcome).inc();
    }

    void forget(ClusterKey cluster) {
        OUTCOMES.forEach(each -> remediations.remove(cluster.groupId(), cluster.clusterName(), each));
    }
}
