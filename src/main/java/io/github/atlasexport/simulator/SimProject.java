package io.github.atlasexport.simulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A project (group): its export buckets and clusters, in the order the scenario gave them. */
final class SimProject {
    private final String id;
    private final String name;
    private final Instant created;
    private final List<SimBucket> buckets;
    private final List<SimCluster> clusters;
    private final Map<String, SimCluster> clustersByName = new LinkedHashMap<>();

    SimProject(String id, String name, Instant created, List<SimBucket> buckets, List<SimCluster> clusters) {
        this.id = id;
        this.name = name;
        this.created = created;
        this.buckets = List.copyOf(buckets);
        this.clusters = List.copyOf(clusters);
        clusters.forEach(c -> clustersByName.put(c.name(), c));
    }

    String id() {
        return id;
    }

    String name() {
        return name;
    }

    Instant created() {
        return created;
    }

    List<SimBucket> buckets() {
        return buckets;
    }

    SimBucket bucket(String bucketId) {
        return buckets.stream().filter(b -> b.id().equals(bucketId)).findFirst().orElse(null);
    }

    List<SimCluster> clusters() {
        return clusters;
    }

    SimCluster cluster(String clusterName) {
        return clustersByName.get(clusterName);
    }

    record SimBucket(String id, String name) {
    }
}
