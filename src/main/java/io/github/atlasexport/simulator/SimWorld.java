package io.github.atlasexport.simulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every project of the simulation; the structure is fixed at start, only jobs come and go. */
final class SimWorld {
    private final List<SimProject> projects;
    private final Map<String, SimProject> byId = new HashMap<>();
    private final int clusterCount;

    SimWorld(List<SimProject> projects) {
        this.projects = List.copyOf(projects);
        int clusters = 0;
        for (SimProject p : projects) {
            if (byId.put(p.id(), p) != null) {
                throw new IllegalArgumentException("projects: duplicate project id " + p.id());
            }
            clusters += p.clusters().size();
        }
        this.clusterCount = clusters;
    }

    List<SimProject> projects() {
        return projects;
    }

    /** Null when there is no such project. */
    SimProject project(String groupId) {
        return byId.get(groupId);
    }

    /** Null when there is no such project or cluster. */
    SimCluster cluster(String groupId, String clusterName) {
        SimProject project = byId.get(groupId);
        return project == null ? null : project.cluster(clusterName);
    }

    int clusterCount() {
        return clusterCount;
    }
}
