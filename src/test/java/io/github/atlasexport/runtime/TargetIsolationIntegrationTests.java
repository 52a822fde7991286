package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.config.ConfigDefaults;
import io.github.atlasexport.config.MonitorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static io.github.atlasexport.testing.SimWorld.KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One target's trouble stays that target's: a discovered cluster whose name Atlas's pattern forbids,
 * and a project whose discovery fails, against a scripted Atlas over real HTTP.
 */
class TargetIsolationIntegrationTests {
    static final String SHOP = "5f0a1b2c3d4e5f6a7b8c9d01";
    static final String BROKEN = "5f0a1b2c3d4e5f6a7b8c9d02";
    static final String UP = "atlas_export_target_up";
    static final String DISCOVERY_UP = "atlas_export_discovery_up";

    private final ObjectMapper json = new ObjectMapper();
    private final FakeAtlas atlas = new FakeAtlas();
    private MonitorRuntime monitor;

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.close();
        }
        atlas.close();
    }

    @Test
    void aDiscoveredClusterWithABadNameIsDownWhileTheGoodOneKeepsBeingPolled(@TempDir Path dir) {
        atlas.clusters(SHOP, List.of("Good", "bad_name"));
        monitor = MonitorRuntime.start(config(dir, List.of(SHOP), ConfigDefaults.TARGET_DOWN), MonitorIntegrationTests.FAST_RETRIES);

        PromText m = awaitMetrics("both clusters reported", x -> Double.valueOf(1).equals(x.value(UP, cluster(SHOP, "Good")))
                && Double.valueOf(0).equals(x.value(UP, cluster(SHOP, "bad_name"))));
        assertEquals(0.0, m.value("atlas_export_poll_loop_restarts_total", Map.of()), m.toString());
        long polls = atlas.exportLists(SHOP, "Good");
        Http.await("the good cluster polled on", Mono.fromSupplier(() -> atlas.exportLists(SHOP, "Good")),
                n -> n >= polls + 3);
        assertEquals(0, atlas.exportLists(SHOP, "bad_name"), "no request goes out for a name Atlas cannot have");
        assertEquals(200, get("/-/healthy").status());
        assertTrue(get("/").body().contains("does not match"), "the status page says why");
    }

    @Test
    void aProjectWhoseDiscoveryFailsIsReadyShownDownAlertedAndResolved(@TempDir Path dir) throws Exception {
        atlas.clusters(SHOP, List.of("Good"));
        atlas.failDiscovery(BROKEN, true);
        MonitorConfig.Threshold targetDown = new MonitorConfig.Threshold(Duration.ofMillis(300), "warning");
        monitor = MonitorRuntime.start(config(dir, List.of(SHOP, BROKEN), targetDown), MonitorIntegrationTests.FAST_RETRIES);

        Http.await("ready once every target was tried", Http.get(monitor.url() + "-/ready", "*/*"), r -> r.status() == 200);
        awaitMetrics("discovery down", x -> Double.valueOf(0).equals(x.value(DISCOVERY_UP, Map.of("group_id", BROKEN)))
                && Double.valueOf(1).equals(x.value(DISCOVERY_UP, Map.of("group_id", SHOP))));
        JsonNode alert = Http.await("TargetDown for the project", Http.get(monitor.url() + "api/v1/alerts", "*/*")
                .map(r -> targetDown(r.body())), Optional::isPresent).orElseThrow();
        assertEquals("", alert.path("labels").path("cluster_name").asText("missing"));
        String page = get("/").body();
        assertTrue(page.contains(BROKEN) && page.contains("scripted discovery failure"), page);

        atlas.failDiscovery(BROKEN, false);
        atlas.clusters(BROKEN, List.of("Late"));
        awaitMetrics("discovered at last", x -> Double.valueOf(1).equals(x.value(DISCOVERY_UP, Map.of("group_id", BROKEN)))
                && Double.valueOf(1).equals(x.value(UP, cluster(BROKEN, "Late"))));
        Http.await("TargetDown resolved", Http.get(monitor.url() + "api/v1/alerts", "*/*")
                .map(r -> targetDown(r.body()).isEmpty()), resolved -> resolved);
    }

    private Optional<JsonNode> targetDown(String alerts) {
        try {
            for (JsonNode alert : json.readTree(alerts).path("alerts")) {
                if (alert.path("alertname").asText().equals("AtlasExportTargetDown")
                        && alert.path("labels").path("group_id").asText().equals(BROKEN)) {
                    return Optional.of(alert);
                }
            }
            return Optional.empty();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every project given is a {@code "*"} target polled every 100 ms; discovery retried at that pace too. */
    private MonitorConfig config(Path dir, List<String> projects, MonitorConfig.Threshold targetDown) {
        MonitorConfig.Poll poll = new MonitorConfig.Poll(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofDays(7));
        MonitorConfig.Alerts alerts = new MonitorConfig.Alerts(ConfigDefaults.FAILED, ConfigDefaults.CANCELLED,
                ConfigDefaults.STUCK, ConfigDefaults.NO_RECENT_SUCCESS, targetDown, List.of());
        return new MonitorConfig(
                new MonitorConfig.Atlas(atlas.baseUrl(), ApiVersion.V2, KEY, Duration.ofSeconds(5), 8, 100_000),
                projects.stream().map(group -> new MonitorConfig.Target(group, List.of(), poll, ConfigDefaults.STUCK)).toList(),
                poll, alerts, new MonitorConfig.Server("127.0.0.1", 0), new MonitorConfig.State(dir.resolve("state.json")));
    }

    private Http.Response get(String path) {
        return Http.get(monitor.url() + path.substring(1));
    }

    private PromText awaitMetrics(String what, Predicate<PromText> done) {
        return Http.await(what, Http.get(monitor.url() + "metrics", "text/plain").map(r -> PromText.parse(r.body())), done);
    }

    static Map<String, String> cluster(String group, String clusterName) {
        return Map.of("group_id", group, "cluster_name", clusterName);
    }
}
