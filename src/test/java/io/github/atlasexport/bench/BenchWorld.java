package io.github.atlasexport.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.AtlasClients;
import io.github.atlasexport.atlas.Cluster;
import io.github.atlasexport.atlas.Credentials;
import io.github.atlasexport.atlas.Project;
import io.github.atlasexport.config.ConfigLoader;
import io.github.atlasexport.config.Durations;
import io.github.atlasexport.config.MonitorConfig;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A generated simulator world in its own JVM ({@link SimulatorProcess}) and the monitor configs that
 * watch it: {@code clusters} clusters in projects of 100, {@code jobsPerCluster} jobs each, every
 * Atlas answer delayed by {@code latency} (a scenario {@code latency} fault), digest auth with the
 * simulator's default key. Targets name their clusters, as found through the discovery endpoints,
 * so that a poll cycle holds no discovery calls.
 */
final class BenchWorld implements AutoCloseable {
    static final int CLUSTERS_PER_PROJECT = 100;
    private static final Credentials.Digest KEY = new Credentials.Digest("sim-public", "sim-private");

    private final SimulatorProcess sim;
    private final Map<String, List<String>> clustersByGroup;

    private BenchWorld(SimulatorProcess sim, Map<String, List<String>> clustersByGroup) {
        this.sim = sim;
        this.clustersByGroup = clustersByGroup;
    }

    /** @param simulatorJvmOptions see {@link SimulatorProcess#start} */
    static BenchWorld start(int clusters, int jobsPerCluster, Duration latency, Path dir, String simulatorJvmOptions)
            throws IOException, InterruptedException {
        int perProject = Math.min(clusters, CLUSTERS_PER_PROJECT);
        if (clusters % perProject != 0) {
            throw new IllegalArgumentException("--clusters must be a multiple of " + CLUSTERS_PER_PROJECT + " (or below it)");
        }
        Files.createDirectories(dir);
        Path scenario = dir.resolve("scenario.yaml");
        Files.writeString(scenario, String.join("\n",
                "generate: {projects: " + clusters / perProject + ", clustersPerProject: " + perProject
                        + ", jobsPerCluster: " + jobsPerCluster + "}",
                "faults:",
                "  - {kind: latency, latency: " + Durations.format(latency) + "}",
                ""));
        SimulatorProcess sim = SimulatorProcess.start(scenario, dir.resolve("simulator.log"), "2g", simulatorJvmOptions);
        try {
            return new BenchWorld(sim, discover(sim.baseUrl()));
        } catch (RuntimeException e) {
            sim.close();
            throw e;
        }
    }

    /** Projects and their clusters through the product's own client, as a "*" target would find them. */
    private static Map<String, List<String>> discover(String baseUrl) {
        try (AtlasClient client = AtlasClients.create(AtlasClientOptions.create(URI.create(baseUrl), KEY)
                .withMaxConcurrency(16)
                .withRequestsPerMinute(1_000_000))) {
            return client.listProjects()
                    .map(Project::id)
                    .flatMap(groupId -> client.listClusters(groupId).map(Cluster::name).collectList()
                            .map(names -> Map.entry(groupId, names)), 16)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new))
                    .block(Duration.ofMinutes(5));
        }
    }

    SimulatorProcess sim() {
        return sim;
    }

    int clusterCount() {
        return clustersByGroup.values().stream().mapToInt(List::size).sum();
    }

    Map<String, List<String>> clustersByGroup() {
        return clustersByGroup;
    }

    /**
     * The monitor's config, through the product's loader: every cluster named, digest auth, a request
     * budget too high to bind, the HTTP server on a free loopback port.
     *
     * @param extra further top-level YAML (e.g. {@code alerts:}), or ""
     */
    MonitorConfig monitorConfig(int maxConcurrency, Duration interval, Duration activeInterval, Path state, String extra) {
        StringBuilder yaml = new StringBuilder()
                .append("atlas:\n")
                .append("  baseUrl: ").append(sim.baseUrl()).append('\n')
                .append("  auth: {digest: {publicKey: ").append(KEY.publicKey())
                .append(", privateKey: ").append(KEY.privateKey()).append("}}\n")
                .append("  maxConcurrency: ").append(maxConcurrency).append('\n')
                .append("  requestsPerMinute: 100000\n")
                .append("targets:\n");
        clustersByGroup.forEach((groupId, names) -> yaml.append("  - groupId: ").append(groupId).append('\n')
                .append("    clusters: [").append(String.join(", ", names)).append("]\n"));
        yaml.append("poll: {interval: ").append(Durations.format(interval))
                .append(", activeInterval: ").append(Durations.format(activeInterval)).append("}\n")
                .append("server: {listen: 127.0.0.1:0}\n")
                .append("state: {path: ").append(state).append("}\n")
                .append(extra);
        return ConfigLoader.load(yaml.toString(), "generated bench config", System::getenv);
    }

    /** Exchanges the simulator answered since its counters were last reset. */
    Exchanges exchanges() {
        return Exchanges.of(sim.requests());
    }

    @Override
    public void close() {
        sim.close();
    }

    /**
     * @param total      every exchange with the Atlas API, challenges included
     * @param listCalls  {@code GET .../backup/exports} answered 200: one per cluster poll at 50 jobs a cluster
     * @param challenges 401 digest challenges
     */
    record Exchanges(long total, long listCalls, long challenges) {
        static final String EXPORTS = "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports";

        static Exchanges of(JsonNode requests) {
            long list = 0;
            for (JsonNode entry : requests.path("entries")) {
                if (entry.path("route").asText().equals(EXPORTS) && entry.path("method").asText().equals("GET")
                        && entry.path("status").asInt() == 200) {
                    list += entry.path("count").asLong();
                }
            }
            return new Exchanges(requests.path("total").asLong(), list, requests.path("challenges").asLong());
        }

        double perCall() {
            return listCalls == 0 ? Double.NaN : (double) total / listCalls;
        }
    }
}
