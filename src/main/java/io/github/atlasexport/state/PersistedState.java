package io.github.atlasexport.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Everything the monitor keeps across restarts: the last snapshot of each cluster (so a restart
 * reports only what changed while it was down) and the alerting memory (active alerts, job alerts
 * already fired, notices not yet delivered). The alerting memory is an opaque JSON document owned by
 * the alert package, so that this store does not depend on alerting types.
 */
public record PersistedState(Map<ClusterKey, ClusterSnapshot> clusters, JsonNode alerts) {

    private static final PersistedState EMPTY = new PersistedState(Map.of(), NullNode.getInstance());

    public PersistedState {
        requireNonNull(clusters, "clusters must not be null");
        clusters.forEach((key, snapshot) -> {
            if (!key.equals(snapshot.key())) {
                throw new IllegalArgumentException("snapshot of " + snapshot.key() + " filed under " + key);
            }
        });
        clusters = Map.copyOf(clusters);
        // Copied so that the writer thread never sees the document change under it.
        alerts = alerts == null ? NullNode.getInstance() : alerts.deepCopy();
    }

    public static PersistedState empty() {
        return EMPTY;
    }

    /** The cluster's last snapshot, or an empty never-polled one. */
    public ClusterSnapshot snapshotOf(ClusterKey key) {
        ClusterSnapshot snapshot = clusters.get(key);
        return snapshot != null ? snapshot : ClusterSnapshot.empty(key);
    }
}
