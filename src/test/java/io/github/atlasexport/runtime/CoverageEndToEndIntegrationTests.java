package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.AtlasClients;
import io.github.atlasexport.atlas.CreateExportJobRequest;
import io.github.atlasexport.atlas.Snapshot;
import io.github.atlasexport.config.ConfigDefaults;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.simulator.Scenario;
import io.github.atlasexport.testing.Await;
import io.github.atlasexport.testing.TempDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.github.atlasexport.runtime.AlertsEndToEnd.FAST_RETRIES;
import static io.github.atlasexport.runtime.AlertsEndToEnd.awaitReady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage end to end over loopback: the simulator's cluster whose auto-export silently stopped is
 * reported overdue (metrics, alert at a webhook receiver), then an export of its newest snapshot lands
 * and the alert resolves; a bucket whose every export failed raises one bucket alert.
 */
class CoverageEndToEndIntegrationTests {
    static final String GROUP = "6600000000000000000000c7";
    static final String BUCKET = "66bb0000000000000000c001";
    static final String DR = "66bb0000000000000000c002";
    static final Duration WAIT = Duration.ofSeconds(30);

    /** Daily snapshots 1 h, 25 h and 49 h old; auto-export stopped 30 h ago, so only the 49 h one is in the bucket. */
    static Scenario scenario() {
        return Scenario.parse("""
                projects:
                  - id: %s
                    name: coverage-e2e
                    exportBuckets:
                      - {id: %s, name: main-exports}
                      - {id: %s, name: dr-exports}
                    clusters:
                      - name: Stopped
                        newestSnapshotAgo: 1h
                        autoExport: {frequency: daily, stoppedAgo: 30h}
                        onCreate: {queuedFor: 1s, runFor: 2s, collections: 4}
                      - name: Denied
                        exportBucket: %s
                        jobs:
                          - {createdAgo: 3h, plan: {queuedFor: 1m, runFor: 5m, outcome: Failed, failReason: denied}}
                          - {createdAgo: 2h, plan: {queuedFor: 1m, runFor: 5m, outcome: Failed, failReason: denied}}
                          - {createdAgo: 1h, plan: {queuedFor: 1m, runFor: 5m, outcome: Failed, failReason: denied}}
                """.formatted(GROUP, BUCKET, DR, DR), "coverage-e2e scenario");
    }

    private AtlasSimulator simulator;
    private AlertReceiver receiver;
    private MonitorRuntime monitor;
    private AtlasClient client;
    private Path stateDir;

    @AfterEach
    void stop() {
        for (AutoCloseable part : new AutoCloseable[]{monitor, client, receiver, simulator}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        TempDirs.delete(stateDir);
    }

    @Test
    void aClusterGoesOverdueAndBackWhileAFailingBucketAlertsOnce() throws Exception {
        simulator = AtlasSimulator.start("127.0.0.1", 0, scenario());
        receiver = AlertReceiver.alwaysOk();
        stateDir = Files.createTempDirectory("coverage-e2e");
        monitor = MonitorRuntime.start(config(receiver.url(), stateDir.resolve("state.db")), FAST_RETRIES);
        URI url = URI.create(monitor.url());
        awaitReady(url);
        client = AtlasClients.create(AtlasClientOptions.create(URI.create(simulator.baseUrl()), Demo.SIM_KEY));
        List<Snapshot> snapshots = client.listSnapshots(GROUP, "Stopped", false).collectList().block(WAIT);
        Snapshot newest = snapshots.get(0);
        Snapshot exported = snapshots.get(2);

        AlertReceiver.Delivery overdue = awaitDelivery("AtlasExportOverdue", "firing");
        assertEquals("Stopped", overdue.body().path("labels").path("cluster_name").asText());
        assertEquals(exported.createdAt().plus(Duration.ofHours(30)), Instant.parse(overdue.body().path("startsAt").asText()),
                "startsAt is the deadline: the exported snapshot's createdAt + 1 d + 6 h");
        AlertReceiver.Delivery bucket = awaitDelivery("AtlasExportBucketFailing", "firing");
        assertEquals(DR, bucket.body().path("labels").path("export_bucket_id").asText());
        assertEquals(GROUP, bucket.body().path("labels").path("group_id").asText());

        PromText metrics = scrape(url);
        Map<String, String> stopped = Map.of("group_id", GROUP, "cluster_name", "Stopped");
        assertEquals(exported.createdAt().getEpochSecond(),
                metrics.value("atlas_export_snapshot_exported_timestamp_seconds", stopped));
        assertEquals(2.0, metrics.value("atlas_export_snapshots_unexported", stopped));
        assertEquals(1.0, metrics.value("atlas_export_coverage_up", stopped));
        assertEquals(1.0, metrics.value("atlas_export_policy_info", Map.of("group_id", GROUP, "cluster_name", "Stopped",
                "auto_export", "true", "frequency", "daily", "export_bucket_id", BUCKET)));
        assertEquals(1.0, metrics.value("atlas_export_policy_info", Map.of("group_id", GROUP, "cluster_name", "Denied",
                "auto_export", "false", "frequency", "", "export_bucket_id", "")));
        assertEquals(1.0, metrics.value("atlas_export_bucket_info", Map.of("group_id", GROUP, "export_bucket_id", DR,
                "bucket_name", "dr-exports", "cloud_provider", "AWS")));

        JsonNode api = coverageOf(url, "Stopped");
        assertTrue(api.path("overdue").asBoolean(), api.toString());
        assertEquals(exported.id(), api.path("recovery_snapshot_id").asText());
        assertEquals("daily", api.path("frequency").asText());
        assertEquals(2, api.path("unexported_snapshots").asInt());

        // Someone exports the newest snapshot by hand: once it lands, the policy is met again.
        client.createExportJob(GROUP, "Stopped", new CreateExportJobRequest(newest.id(), BUCKET, null)).block(WAIT);
        awaitDelivery("AtlasExportOverdue", "resolved");
        Await.until(WAIT, () -> "the recovery point to move to the newest snapshot", () ->
                Optional.ofNullable(scrape(url).value("atlas_export_snapshot_exported_timestamp_seconds", stopped))
                        .orElse(0.0) == newest.createdAt().getEpochSecond());
        assertEquals(0.0, scrape(url).value("atlas_export_snapshots_unexported", stopped));
        assertEquals(false, coverageOf(url, "Stopped").path("overdue").asBoolean());
        assertEquals(1, receiver.accepted().stream().filter(d -> d.alertname().equals("AtlasExportBucketFailing")).count(),
                "one bucket alert, however many rounds saw it failing");
    }

    private AlertReceiver.Delivery awaitDelivery(String alertname, String status) {
        Await.until(WAIT, () -> alertname + " " + status + " at the receiver; got " + receiver.deliveries(),
                () -> find(alertname, status).isPresent());
        return find(alertname, status).orElseThrow();
    }

    private Optional<AlertReceiver.Delivery> find(String alertname, String status) {
        return receiver.accepted().stream()
                .filter(d -> d.alertname().equals(alertname) && d.alertStatus().equals(status))
                .findFirst();
    }

    private static JsonNode coverageOf(URI monitor, String cluster) {
        for (JsonNode node : AlertsEndToEnd.getJson(monitor.resolve("api/v1/coverage")).path("clusters")) {
            if (cluster.equals(node.path("cluster_name").asText())) {
                return node;
            }
        }
        throw new AssertionError("no coverage of " + cluster + " in /api/v1/coverage");
    }

    private static PromText scrape(URI monitor) {
        return PromText.parse(Http.get(monitor.resolve("metrics").toString()).body());
    }

    private MonitorConfig config(URI webhook, Path statePath) {
        MonitorConfig.Poll poll = new MonitorConfig.Poll(Duration.ofMillis(300), Duration.ofMillis(200), Duration.ofDays(7));
        MonitorConfig.Alerts alerts = new MonitorConfig.Alerts(ConfigDefaults.FAILED, ConfigDefaults.CANCELLED,
                ConfigDefaults.STUCK, ConfigDefaults.NO_RECENT_SUCCESS, ConfigDefaults.TARGET_DOWN,
                List.of(new MonitorConfig.Sink("webhook", webhook, AlertReceiver.SECRET, null, null)));
        return new MonitorConfig(
                new MonitorConfig.Atlas(URI.create(simulator.baseUrl()), ApiVersion.V2, Demo.SIM_KEY,
                        Duration.ofSeconds(5), 8, 6000),
                List.of(new MonitorConfig.Target(GROUP, List.of("Stopped", "Denied"), poll, ConfigDefaults.STUCK)),
                poll, alerts, new MonitorConfig.Server("127.0.0.1", 0), new MonitorConfig.State(statePath))
                .withCoverage(new MonitorConfig.Coverage(true, Duration.ofMillis(500)));
    }
}
