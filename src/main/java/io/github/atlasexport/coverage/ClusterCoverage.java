package io.github.atlasexport.coverage;

import io.github.atlasexport.monitor.ClusterKey;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * How well one cluster's snapshots are copied to its bucket, as of {@code assessedAt}.
 *
 * @param recoverySnapshotId the newest snapshot with a Successful export, or null if none is known
 * @param recoveryPoint      that snapshot's createdAt: the offsite recovery point; null if none
 * @param unexported         completed snapshots newer than it (all completed ones without it) that no Successful export copied
 * @param deadline           when the policy is missed if no newer export lands: null without auto-export
 *                           at a known frequency
 * @param overdue            {@code assessedAt} is at or past {@code deadline}
 */
public record ClusterCoverage(ClusterKey cluster, ExportPolicy policy, String recoverySnapshotId, Instant recoveryPoint,
                              int unexported, Instant deadline, boolean overdue, Instant assessedAt) {
    public ClusterCoverage {
        requireNonNull(cluster, "cluster must not be null");
        requireNonNull(policy, "policy must not be null");
        requireNonNull(assessedAt, "assessedAt must not be null");
    }
}
