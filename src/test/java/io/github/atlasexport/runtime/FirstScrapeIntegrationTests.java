package io.github.atlasexport.runtime;

import io.github.atlasexport.alert.AlertName;
import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.config.ConfigDefaults;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.simulator.Fault;
import io.github.atlasexport.testing.Promtool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.github.atlasexport.testing.SimWorld.INSIGHTS;
import static io.github.atlasexport.testing.SimWorld.KEY;
import static io.github.atlasexport.testing.SimWorld.ORDERS;
import static io.github.atlasexport.testing.SimWorld.SHOP;
import static io.github.atlasexport.testing.SimWorld.scenario;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The counters a dashboard panel or an alert rule reads exist from the first scrape, at 0, for every
 * configured project and sink, rather than appearing only once something first happens.
 */
class FirstScrapeIntegrationTests {
    private AtlasSimulator sim;
    private MonitorRuntime monitor;

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void deliveryAndRateLimitCountersAreZeroForEveryProjectAndSinkAtTheFirstScrape(@TempDir Path dir) throws Exception {
        sim = AtlasSimulator.start("127.0.0.1", 0, scenario());
        // Atlas answers slowly, so the first scrape comes before any poll, and before any alert could be sent.
        sim.setFaults(List.of(Fault.latency(Duration.ofSeconds(3))));
        monitor = MonitorRuntime.start(config(dir), MonitorIntegrationTests.FAST_RETRIES);

        String text = Http.get(monitor.url() + "metrics").body();
        PromText first = PromText.parse(text);

        assertEquals(Map.of(Map.of("group_id", SHOP), 0.0, Map.of("group_id", INSIGHTS), 0.0),
                first.series("atlas_export_api_rate_limited_total"), text);
        Set<String> sinks = new TreeSet<>();
        first.series("atlas_export_alert_queue").keySet().forEach(labels -> sinks.add(labels.get("sink")));
        assertEquals(2, sinks.size(), "one queue per sink: " + sinks);
        Map<Map<String, String>, Double> perAlert = new HashMap<>();
        Map<Map<String, String>, Double> perSink = new HashMap<>();
        for (String sink : sinks) {
            AlertName.ALL.forEach(alertname -> perAlert.put(Map.of("sink", sink, "alertname", alertname), 0.0));
            perSink.put(Map.of("sink", sink), 0.0);
        }
        assertEquals(14, perAlert.size(), "7 alert names (SPEC section 6) for each of 2 sinks");
        assertEquals(perAlert, first.series("atlas_export_alerts_sent_total"), text);
        assertEquals(perAlert, first.series("atlas_export_alerts_failed_total"), text);
        assertEquals(perSink, first.series("atlas_export_alerts_dead_total"), text);

        Path file = dir.resolve("first-scrape.prom");
        Files.writeString(file, text);
        Promtool.assertMetricsPass(file);
    }

    private MonitorConfig config(Path dir) {
        MonitorConfig.Poll poll = new MonitorConfig.Poll(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofDays(7));
        List<MonitorConfig.Sink> sinks = List.of(
                new MonitorConfig.Sink("webhook", URI.create("http://127.0.0.1:9/hooks/atlas"), null, null, null),
                new MonitorConfig.Sink("slack", URI.create("http://127.0.0.1:9/services/T0/B0/x"), null, null, null));
        MonitorConfig.Alerts alerts = new MonitorConfig.Alerts(ConfigDefaults.FAILED, ConfigDefaults.CANCELLED,
                ConfigDefaults.STUCK, ConfigDefaults.NO_RECENT_SUCCESS, ConfigDefaults.TARGET_DOWN, sinks);
        return new MonitorConfig(
                new MonitorConfig.Atlas(URI.create(sim.baseUrl()), ApiVersion.V2, KEY, Duration.ofSeconds(10), 8, 100_000),
                List.of(new MonitorConfig.Target(SHOP, List.of(ORDERS), poll, ConfigDefaults.STUCK),
                        new MonitorConfig.Target(INSIGHTS, List.of(), poll, ConfigDefaults.STUCK)),
                poll, alerts, new MonitorConfig.Server("127.0.0.1", 0), new MonitorConfig.State(dir.resolve("state.db")));
    }
}
