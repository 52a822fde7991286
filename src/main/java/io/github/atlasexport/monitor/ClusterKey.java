package io.github.atlasexport.monitor;

import static java.util.Objects.requireNonNull;

/** One polled target: a cluster of a project. */
public record ClusterKey(String groupId, String clusterName) implements Comparable<ClusterKey> {
    public ClusterKey {
        requireNonNull(groupId, "groupId must not be null");
        requireNonNull(clusterName, "clusterName must not be null");
    }

    @Override
    public int compareTo(ClusterKey other) {
        int byGroup = groupId.compareTo(other.groupId);
        return byGroup != 0 ? byGroup : clusterName.compareTo(other.clusterName);
    }

    @Override
    public String toString() {
        return groupId + "/" + clusterName;
    }
}
