package io.github.atlasexport.state;

import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Everything the monitor keeps across restarts: the last snapshot of each cluster (so a restart
 * reports only what changed while it was down) and documents of other parts, by kind and key (the
 * alert rules' state per cluster, undelivered notices, ...). A document is any immutable value
 * Jackson can write; the store writes again only the ones that are not the same object, or an equal
 * value, as at the last write, and gives them back as JSON trees on load. The store keeps the
 * documents opaque, so that it does not depend on the parts that own them.
 *
 * @param clusters  by cluster
 * @param documents kind -> key -> value
 */
public record PersistedState(Map<ClusterKey, ClusterSnapshot> clusters, Map<String, Map<String, Object>> documents) {

    private static final PersistedState EMPTY = new PersistedState(Map.of(), Map.of());

    public PersistedState {
        requireNonNull(clusters, "clusters must not be null");
        requireNonNull(documents, "documents must not be null");
        clusters.forEach((key, snapshot) -> {
            if (!key.equals(snapshot.key())) {
                throw new IllegalArgumentException("snapshot of " + snapshot.key() + " filed under " + key);
            }
        });
        // Hash maps, not Map.copyOf: its probing calls equals on every slot it passes, and a save takes
        // a state of every cluster (10,000 keys, twice) several times a cycle.
        clusters = Collections.unmodifiableMap(new HashMap<>(clusters));
        Map<String, Map<String, Object>> copied = new HashMap<>();
        documents.forEach((kind, byKey) -> copied.put(kind, Collections.unmodifiableMap(new HashMap<>(byKey))));
        documents = Collections.unmodifiableMap(copied);
    }

    public static PersistedState empty() {
        return EMPTY;
    }

    /** The cluster's last snapshot, or an empty never-polled one. */
    public ClusterSnapshot snapshotOf(ClusterKey key) {
        ClusterSnapshot snapshot = clusters.get(key);
        return snapshot != null ? snapshot : ClusterSnapshot.empty(key);
    }

    /** The documents of one kind, by key; empty if there are none. */
    public Map<String, Object> documents(String kind) {
        return documents.getOrDefault(kind, Map.of());
    }
}
