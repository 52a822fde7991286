package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.AtlasClients;
import io.github.atlasexport.atlas.Cluster;
import io.github.atlasexport.atlas.Project;
import io.github.atlasexport.config.ConfigDefaults;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterShards;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.simulator.Scenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.github.atlasexport.testing.SimWorld.KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three shards and one unsharded monitor on one generated simulated fleet of 100 clusters: one project
 * watched through discovery ({@code "*"}), one through an explicit list. Every cluster is watched by
 * exactly one shard, the one its hash names, and the shards together see the jobs the unsharded one sees.
 */
class ShardingIntegrationTests {
    private static final int SHARDS = 3;
    private static final Duration POLL = Duration.ofSeconds(5);

    private final ObjectMapper json = new ObjectMapper();
    private final List<MonitorRuntime> monitors = new ArrayList<>();
    private AtlasSimulator sim;

    @AfterEach
    void stop() {
        monitors.forEach(MonitorRuntime::close);
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void everyClusterIsWatchedByExactlyOneShardAndTheShardsTogetherSeeEveryJob(@TempDir Path dir) {
        sim = AtlasSimulator.start("127.0.0.1", 0, new Scenario(List.of(), null, null, null, null, null,
                new Scenario.Generate(2, 50, 2, 0.2, 7L, null)));
        List<String> groups = new ArrayList<>();
        Set<ClusterKey> fleet = new TreeSet<>();
        try (AtlasClient client = AtlasClients.create(AtlasClientOptions.create(URI.create(sim.baseUrl()), KEY))) {
            for (Project project : client.listProjects().collectList().block(Duration.ofSeconds(30))) {
                groups.add(project.id());
                for (Cluster cluster : client.listClusters(project.id()).collectList().block(Duration.ofSeconds(30))) {
                    fleet.add(new ClusterKey(project.id(), cluster.name()));
                }
            }
        }
        assertEquals(2, groups.size());
        assertEquals(100, fleet.size());
        String discovered = groups.get(0);
        List<String> listed = fleet.stream().filter(key -> key.groupId().equals(groups.get(1)))
                .map(ClusterKey::clusterName).toList();

        MonitorRuntime whole = start(dir.resolve("whole"), discovered, groups.get(1), listed, MonitorConfig.Sharding.NONE);
        List<MonitorRuntime> shards = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            shards.add(start(dir.resolve("shard" + shard), discovered, groups.get(1), listed,
                    new MonitorConfig.Sharding(SHARDS, shard)));
        }
        monitors.forEach(monitor -> Http.await("ready", Http.get(monitor.url() + "-/ready", "*/*"), r -> r.status() == 200));

        Set<ClusterKey> watchedByAShard = new HashSet<>();
        Set<List<String>> jobsOfTheShards = new TreeSet<>(ShardingIntegrationTests::compare);
        int[] counts = new int[SHARDS];
        for (int shard = 0; shard < SHARDS; shard++) {
            MonitorRuntime monitor = shards.get(shard);
            Set<ClusterKey> watched = watched(monitor);
            counts[shard] = watched.size();
            for (ClusterKey key : watched) {
                assertEquals(shard, ClusterShards.shardOf(key, SHARDS), key + " is watched by the shard its hash names");
                assertTrue(watchedByAShard.add(key), key + " is watched by one shard only");
            }
            PromText metrics = metrics(monitor);
            assertEquals(1.0, metrics.value("atlas_export_shard_info",
                    Map.of("shard", Integer.toString(shard), "shards", Integer.toString(SHARDS))), metrics::text);
            assertEquals((double) watched.size(), metrics.value("atlas_export_shard_clusters", Map.of()), metrics::text);
            jobsOfTheShards.addAll(jobs(monitor));
        }
        System.out.printf("clusters per shard: %d, %d, %d%n", counts[0], counts[1], counts[2]);
        assertEquals(fleet, watchedByAShard, "every cluster, discovered or listed, is watched by some shard");
        assertEquals(fleet, watched(whole));
        Set<List<String>> jobsOfTheWhole = new TreeSet<>(ShardingIntegrationTests::compare);
        jobsOfTheWhole.addAll(jobs(whole));
        assertEquals(200, jobsOfTheWhole.size());
        assertEquals(jobsOfTheWhole, jobsOfTheShards);

        // The unsharded monitor becomes shard 1: the clusters of its state store that are now another
        // shard's are forgotten at start, not shown (nor alerted on) until the first poll.
        whole.close();
        monitors.remove(whole);
        MonitorRuntime resharded = start(dir.resolve("whole"), discovered, groups.get(1), listed,
                new MonitorConfig.Sharding(SHARDS, 1));
        Set<ClusterKey> restored = new TreeSet<>();
        jobs(resharded).forEach(job -> restored.add(new ClusterKey(job.get(0), job.get(1))));
        assertEquals(watched(shards.get(1)), restored, "at once, from the state store");
        Http.await("ready", Http.get(resharded.url() + "-/ready", "*/*"), r -> r.status() == 200);
        assertEquals(watched(shards.get(1)), watched(resharded));
    }

    private MonitorRuntime start(Path dir, String discovered, String listedGroup, List<String> listed,
                                 MonitorConfig.Sharding sharding) {
        MonitorConfig.Poll poll = new MonitorConfig.Poll(POLL, POLL, Duration.ofDays(3650));
        MonitorConfig.Alerts alerts = new MonitorConfig.Alerts(ConfigDefaults.FAILED, ConfigDefaults.CANCELLED,
                ConfigDefaults.STUCK, ConfigDefaults.NO_RECENT_SUCCESS, ConfigDefaults.TARGET_DOWN, List.of());
        MonitorConfig config = new MonitorConfig(
                new MonitorConfig.Atlas(URI.create(sim.baseUrl()), ApiVersion.V2, KEY, Duration.ofSeconds(20), 8, 100_000),
                List.of(new MonitorConfig.Target(discovered, List.of(), poll, ConfigDefaults.STUCK),
                        new MonitorConfig.Target(listedGroup, listed, poll, ConfigDefaults.STUCK)),
                poll, alerts, new MonitorConfig.Server("127.0.0.1", 0), new MonitorConfig.State(dir.resolve("state.db")),
                sharding);
        MonitorRuntime monitor = MonitorRuntime.start(config, MonitorIntegrationTests.FAST_RETRIES);
        monitors.add(monitor);
        return monitor;
    }

    /** The clusters the monitor polls: those with an {@code atlas_export_target_up} series. */
    private Set<ClusterKey> watched(MonitorRuntime monitor) {
        Set<ClusterKey> watched = new TreeSet<>();
        metrics(monitor).series("atlas_export_target_up").keySet()
                .forEach(labels -> watched.add(new ClusterKey(labels.get("group_id"), labels.get("cluster_name"))));
        return watched;
    }

    private PromText metrics(MonitorRuntime monitor) {
        return PromText.parse(Http.get(monitor.url() + "metrics").body());
    }

    /** {@code /api/v1/jobs} as (group_id, cluster_name, job) triples. */
    private List<List<String>> jobs(MonitorRuntime monitor) {
        try {
            List<List<String>> jobs = new ArrayList<>();
            for (JsonNode job : json.readTree(Http.get(monitor.url() + "api/v1/jobs").body()).path("jobs")) {
                jobs.add(List.of(job.path("group_id").asText(), job.path("cluster_name").asText(), job.path("job").asText()));
            }
            return jobs;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int compare(List<String> a, List<String> b) {
        return String.join("/", a).compareTo(String.join("/", b));
    }
}
