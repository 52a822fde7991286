package io.github.atlasexport.monitor;

import io.github.atlasexport.atlas.Project;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Read model of the latest status per cluster, written only by the observation stream and read by
 * the HTTP endpoints. Entries are immutable records replaced whole, so readers never see a half update.
 * Also the names of the projects, as discovery last listed them, for people: pages and alert text.
 */
public final class LiveTargets {
    private final ConcurrentMap<ClusterKey, TargetStatus> statuses = new ConcurrentHashMap<>();
    private volatile Map<String, String> projectNames = Map.of();
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

    /** The projects of the latest successful listing replace those of the one before. */
    public void nameProjects(Collection<Project> projects) {
        Map<String, String> names = new HashMap<>();
        projects.stream()
                .filter(project -> project.id() != null && project.name() != null && !project.name().isBlank())
                .forEach(project -> names.put(project.id(), project.name()));
        projectNames = Map.copyOf(names);
    }

    /** Group id to project name, for the projects whose name is known. */
    public Map<String, String> projectNames() {
        return projectNames;
    }

    /** The project's name, or null if discovery has not listed it. */
    public String projectName(String groupId) {
        return projectNames.get(groupId);
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
