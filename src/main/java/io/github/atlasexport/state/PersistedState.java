package io.github.atlasexport.state;

import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Everything the monitor keeps across restarts: the last snapshot of each cluster (so a restart
 * reports only what changed while it was down), the alerts not yet delivered, per sink, and the job
 * alerts already fired (so a job alert never fires twice).
 */
public record PersistedState(Map<ClusterKey, ClusterSnapshot> clusters, Map<String, List<OutboxEntry>> outboxes,
                             Set<String> firedJobAlerts) {

    private static final PersistedState EMPTY = new PersistedState(Map.of(), Map.of(), Set.of());

    public PersistedState {
        requireNonNull(clusters, "clusters must not be null");
        requireNonNull(outboxes, "outboxes must not be null");
        requireNonNull(firedJobAlerts, "firedJobAlerts must not be null");
        clusters.forEach((key, snapshot) -> {
            if (!key.equals(snapshot.key())) {
                throw new IllegalArgumentException("snapshot of " + snapshot.key() + " filed under " + key);
            }
        });
        clusters = Map.copyOf(clusters);
        Map<String, List<OutboxEntry>> copied = new HashMap<>();
        outboxes.forEach((sink, entries) -> copied.put(sink, List.copyOf(entries)));
        outboxes = Map.copyOf(copied);
        firedJobAlerts = Set.copyOf(firedJobAlerts);
    }

    public static PersistedState empty() {
        return EMPTY;
    }

    /** The cluster's last snapshot, or an empty never-polled one. */
    public ClusterSnapshot snapshotOf(ClusterKey key) {
        ClusterSnapshot snapshot = clusters.get(key);
        return snapshot != null ? snapshot : ClusterSnapshot.empty(key);
    }

    public PersistedState withSnapshot(ClusterSnapshot snapshot) {
        Map<ClusterKey, ClusterSnapshot> updated = new HashMap<>(clusters);
        updated.put(snapshot.key(), snapshot);
        return new PersistedState(updated, outboxes, firedJobAlerts);
    }
}
