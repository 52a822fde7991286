package io.github.atlasexport.atlas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * A Cloud Backup snapshot of a cluster, from the replica-set list ({@code .../backup/snapshots}) or the
 * sharded-cluster list ({@code .../backup/snapshots/shardedClusters}).
 *
 * @param status        {@code queued}, {@code inProgress}, {@code completed} or {@code failed} (an open string)
 * @param frequencyType {@code hourly}, {@code daily}, ... or {@code ondemand}
 * @param type          {@code replicaSet} or {@code shardedCluster}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Snapshot(String id, Instant createdAt, String status, String frequencyType, String snapshotType,
                       String type) {
    public static final String COMPLETED = "completed";

    public boolean completed() {
        return COMPLETED.equalsIgnoreCase(status);
    }
}
