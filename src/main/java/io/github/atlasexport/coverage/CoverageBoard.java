package io.github.atlasexport.coverage;

import io.github.atlasexport.atlas.ExportBucket;
import io.github.atlasexport.monitor.ClusterKey;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Read model of the latest coverage per cluster and the buckets per project, for {@code /api/v1/coverage}
 * and the status page. Written by the coverage rounds, read by HTTP; entries are immutable records.
 */
public final class CoverageBoard {
    private final ConcurrentMap<ClusterKey, ClusterCoverage> clusters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Map<String, ExportBucket>> buckets = new ConcurrentHashMap<>();

    public void record(CoverageReport report) {
        report.covered().forEach(coverage -> clusters.put(coverage.cluster(), coverage));
        if (report.buckets() != null) {
            Map<String, ExportBucket> byId = new HashMap<>();
            report.buckets().forEach(bucket -> byId.put(bucket.id(), bucket));
            buckets.put(report.groupId(), Map.copyOf(byId));
        }
    }

    public void forget(ClusterKey cluster) {
        clusters.remove(cluster);
    }

    /** Every covered cluster, sorted by project then cluster name. */
    public List<ClusterCoverage> clusters() {
        return clusters.values().stream().sorted(Comparator.comparing(ClusterCoverage::cluster)).toList();
    }

    /** The project's export buckets by id, as last listed (empty until listed). */
    public Map<String, ExportBucket> buckets(String groupId) {
        return buckets.getOrDefault(groupId, Map.of());
    }
}
