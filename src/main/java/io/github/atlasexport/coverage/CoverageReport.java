package io.github.atlasexport.coverage;

import io.github.atlasexport.atlas.ExportBucket;
import io.github.atlasexport.monitor.ClusterKey;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One coverage round of a project.
 *
 * @param covered  the clusters whose schedule and snapshots were read
 * @param failed   the clusters whose reads failed (their previous coverage stands)
 * @param buckets  the project's export buckets, or null when listing them failed
 * @param verdicts every bucket the project's watched clusters export to, from the jobs they list
 * @param disabled Atlas refused the snapshots (403): no more rounds for this project
 */
public record CoverageReport(String groupId, Instant at, List<ClusterCoverage> covered, List<ClusterKey> failed,
                             List<ExportBucket> buckets, List<BucketVerdict> verdicts, boolean disabled) {
    public CoverageReport {
        requireNonNull(groupId, "groupId must not be null");
        requireNonNull(at, "at must not be null");
        covered = List.copyOf(covered);
        failed = List.copyOf(failed);
        buckets = buckets == null ? null : List.copyOf(buckets);
        verdicts = List.copyOf(verdicts);
    }
}
