package io.github.atlasexport.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.atlasexport.coverage.ClusterCoverage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The body of {@code GET /api/v1/coverage}: per covered cluster, its policy, recovery point and unexported snapshots. */
public final class CoverageDocument {
    private CoverageDocument() {
    }

    public static ObjectNode render(ObjectMapper json, List<ClusterCoverage> clusters, Instant now) {
        ObjectNode root = json.createObjectNode();
        ArrayNode out = root.putArray("clusters");
        for (ClusterCoverage coverage : clusters) {
            ObjectNode node = out.addObject()
                    .put("group_id", coverage.cluster().groupId())
                    .put("cluster_name", coverage.cluster().clusterName())
                    .put("auto_export", coverage.policy().autoExport())
                    .put("frequency", coverage.policy().frequency())
                    .put("export_bucket_id", coverage.policy().exportBucketId())
                    .put("recovery_snapshot_id", coverage.recoverySnapshotId())
                    .put("recovery_point", Objects.toString(coverage.recoveryPoint(), null))
                    .put("unexported_snapshots", coverage.unexported())
                    .put("deadline", Objects.toString(coverage.deadline(), null))
                    .put("overdue", coverage.overdue())
                    .put("assessed_at", coverage.assessedAt().toString());
            if (coverage.recoveryPoint() != null) {
                node.put("recovery_point_age_seconds", Duration.between(coverage.recoveryPoint(), now).toSeconds());
            } else {
                node.putNull("recovery_point_age_seconds");
            }
        }
        return root;
    }
}
