package io.github.atlasexport.monitor;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Read model of the latest status per cluster, written only by the observation stream and read by
 * the HTTP endpoints. Entries are immutable records replaced whole, so readers never see a half update.
 */
public final class LiveTargets {
    private final ConcurrentMap<ClusterKey, TargetStatus> statuses = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, DiscoveryStatus> discoveries = new ConcurrentHashMap<>();

    public void record(Observation observation) {
        statuses.compute(observation.cluster(), (key, current) ->
                (current == null ? TargetStatus.initial(key) : current).next(observation));
    }

    public void record(Discovery discovery) {
        discoveries.compute(discovery.groupId(), (groupId, current) -> DiscoveryStatus.next(current, discovery));
    }

    /** Starts a cluster from its durably stored snapshot, until its first poll of this run. */
    public void seed(ClusterSnapshot snapshot) {
        statuses.putIfAbsent(snapshot.key(), new TargetStatus(snapshot.key(), snapshot, null, null, null));
    }

    public void forget(ClusterKey key) {
        statuses.remove(key);
    }

    /** Every known cluster, sorted by project then cluster name. */
    public List<TargetStatus> all() {
        return statuses.values().stream().sorted(Comparator.comparing(TargetStatus::key)).toList();
    }

    /** The discovery of every {@code "*"} target tried so far, sorted by project. */
    public List<DiscoveryStatus> discoveries() {
        return discoveries.values().stream().sorted(Comparator.comparing(DiscoveryStatus::groupId)).toList();
    }
}
