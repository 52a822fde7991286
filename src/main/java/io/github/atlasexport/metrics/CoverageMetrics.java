package io.github.atlasexport.metrics;

import io.github.atlasexport.atlas.ExportBucket;
import io.github.atlasexport.coverage.ClusterCoverage;
import io.github.atlasexport.coverage.ExportPolicy;
import io.github.atlasexport.monitor.ClusterKey;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The coverage metrics of SPEC section 5: the offsite recovery point per cluster, the snapshots not
 * yet exported, the export policy, the project's buckets and whether the coverage reads succeed. The
 * {@code *_info} ones are prometheus-metrics {@link Info}s so their names stay exactly as specified.
 * Updates come from the coverage loop, one project at a time; scrapes read alongside.
 */
final class CoverageMetrics {
    private static final String[] CLUSTER_LABELS = {"group_id", "cluster_name"};

    private final Gauge exported;
    private final Gauge unexported;
    private final Gauge up;
    private final Info policy;
    private final Info buckets;
    /** The label values each cluster's and project's info series has now, to remove them when they change. */
    private final Map<ClusterKey, String[]> policyLabels = new HashMap<>();
    private final Map<String, List<String[]>> bucketLabels = new HashMap<>();

    CoverageMetrics(PrometheusRegistry registry) {
        exported = gauge(registry, "atlas_export_snapshot_exported_timestamp_seconds",
                "createdAt of the newest snapshot with a Successful export: the offsite recovery point.");
        unexported = gauge(registry, "atlas_export_snapshots_unexported",
                "Completed snapshots newer than the recovery point that no Successful export copied.");
        up = gauge(registry, "atlas_export_coverage_up",
                "1 if the last coverage read (schedule and snapshots) of the cluster succeeded, else 0.");
        policy = Info.builder()
                .name("atlas_export_policy_info")
                .help("The cluster's auto-export policy as its backup schedule states it; always 1.")
                .labelNames("group_id", "cluster_name", "auto_export", "frequency", "export_bucket_id")
                .register(registry);
        buckets = Info.builder()
                .name("atlas_export_bucket_info")
                .help("An export bucket of the project; always 1.")
                .labelNames("group_id", "export_bucket_id", "bucket_name", "cloud_provider")
                .register(registry);
    }

    private static Gauge gauge(PrometheusRegistry registry, String name, String help) {
        return Gauge.builder().name(name).help(help).labelNames(CLUSTER_LABELS).withoutExemplars().register(registry);
    }

    synchronized void record(ClusterCoverage coverage) {
        String[] cluster = {coverage.cluster().groupId(), coverage.cluster().clusterName()};
        if (coverage.recoveryPoint() != null) {
            exported.labelValues(cluster).set(coverage.recoveryPoint().toEpochMilli() / 1000.0);
        } else {
            exported.remove(cluster);
        }
        unexported.labelValues(cluster).set(coverage.unexported());
        ExportPolicy current = coverage.policy();
        String[] labels = {cluster[0], cluster[1], Boolean.toString(current.autoExport()),
                current.autoExport() ? current.frequency() : "", current.exportBucketId()};
        String[] before = policyLabels.put(coverage.cluster(), labels);
        if (before != null && !Arrays.equals(before, labels)) {
            policy.remove(before);
        }
        if (before == null || !Arrays.equals(before, labels)) {
            policy.addLabelValues(labels);
        }
    }

    synchronized void up(ClusterKey cluster, boolean succeeded) {
        up.labelValues(cluster.groupId(), cluster.clusterName()).set(succeeded ? 1 : 0);
    }

    synchronized void buckets(String groupId, List<ExportBucket> listed) {
        bucketLabels.getOrDefault(groupId, List.of()).forEach(buckets::remove);
        List<String[]> labels = listed.stream()
                .map(bucket -> new String[]{groupId, bucket.id(), Objects.toString(bucket.bucketName(), ""),
                        Objects.toString(bucket.cloudProvider(), "")})
                .toList();
        labels.forEach(buckets::addLabelValues);
        bucketLabels.put(groupId, labels);
    }

    synchronized void forget(ClusterKey cluster) {
        String[] labels = {cluster.groupId(), cluster.clusterName()};
        exported.remove(labels);
        unexported.remove(labels);
        up.remove(labels);
        String[] info = policyLabels.remove(cluster);
        if (info != null) {
            policy.remove(info);
        }
    }
}
