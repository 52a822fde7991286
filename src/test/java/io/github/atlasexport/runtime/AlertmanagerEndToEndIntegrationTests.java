package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.testing.Await;
import io.github.atlasexport.testing.LocalAlertmanager;
import io.github.atlasexport.testing.TempDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.atlasexport.runtime.AlertsEndToEnd.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole monitor, in process, polling the simulator and alerting a real Prometheus Alertmanager
 * (Debian package prometheus-alertmanager): what Alertmanager lists is what an operator would see.
 */
class AlertmanagerEndToEndIntegrationTests {
    static Path workDir;
    static LocalAlertmanager alertmanager;
    static AtlasSimulator simulator;
    static MonitorRuntime monitor;

    @BeforeAll
    static void start() throws Exception {
        workDir = Files.createTempDirectory("alertmanager-e2e");
        alertmanager = LocalAlertmanager.start(workDir);

        simulator = simulator();
        monitor = MonitorRuntime.start(config(simulator,
                List.of(new MonitorConfig.Sink("alertmanager", alertmanager.url(), null, null, null)),
                workDir.resolve("state.db")), FAST_RETRIES);
        awaitReady(URI.create(monitor.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (monitor != null) {
                monitor.close();
            }
            if (simulator != null) {
                simulator.close();
            }
        } finally {
            if (alertmanager != null) {
                alertmanager.close();
            }
            TempDirs.delete(workDir);
        }
    }

    /** What Alertmanager lists (active, silenced, inhibited, unprocessed; not resolved) for one job and alertname. */
    static List<JsonNode> listed(String alertname, String jobId) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode alert : getJson(alertmanager.url().resolve("api/v2/alerts"))) {
            JsonNode labels = alert.path("labels");
            if (alertname.equals(labels.path("alertname").asText()) && jobId.equals(labels.path("job_id").asText())) {
                found.add(alert);
            }
        }
        return found;
    }

    /** Resolved means gone from the list, or still listed with an endsAt already past. */
    static boolean resolved(String alertname, String jobId) {
        return listed(alertname, jobId).stream()
                .allMatch(alert -> OffsetDateTime.parse(alert.path("endsAt").asText()).toInstant().isBefore(Instant.now()));
    }

    @Test
    void aFailedJobIsAnActiveAlertWithItsLabels() {
        String job = queuedJob(simulator);
        awaitMonitorSees(URI.create(monitor.url()), job, "Queued");
        setState(simulator, job, "Failed");

        Await.until(Duration.ofSeconds(30), () -> "Alertmanager to list the failure of " + job,
                () -> !listed("AtlasExportJobFailed", job).isEmpty());
        List<JsonNode> alerts = listed("AtlasExportJobFailed", job);
        assertEquals(1, alerts.size(), alerts::toString);
        JsonNode alert = alerts.get(0);
        assertEquals(Map.of("alertname", "AtlasExportJobFailed", "severity", "critical", "group_id", GROUP,
                "cluster_name", CLUSTER, "job_id", job), JSON.convertValue(alert.path("labels"), Map.class));
        assertTrue(alert.path("annotations").path("summary").asText().endsWith(job + " of " + CLUSTER + " in project "
                        + "alerts-e2e (" + GROUP + ") failed"), () -> "summary: " + alert.path("annotations"));
        assertTrue(alert.path("annotations").path("description").asText().contains("Job: " + job),
                () -> "description names the job: " + alert.path("annotations"));
        assertEquals("active", alert.path("status").path("state").asText());
        assertEquals(monitor.url(), alert.path("generatorURL").asText());
    }

    @Test
    void aStuckJobFiresThenResolvesWhenTheJobFinishes() {
        String job = runningJob(simulator);
        Await.until(Duration.ofSeconds(30), () -> "Alertmanager to list job " + job + " as stuck",
                () -> !listed("AtlasExportJobStuck", job).isEmpty());
        JsonNode alert = listed("AtlasExportJobStuck", job).get(0);
        assertEquals("active", alert.path("status").path("state").asText());
        assertEquals("InProgress", alert.path("labels").path("state").asText());
        assertEquals("warning", alert.path("labels").path("severity").asText());
        Instant endsAt = OffsetDateTime.parse(alert.path("endsAt").asText()).toInstant();
        assertTrue(endsAt.isAfter(Instant.now()), "a firing condition ends in the future until re-sent or resolved");

        setState(simulator, job, "Successful");
        Await.until(Duration.ofSeconds(30), () -> "Alertmanager to resolve the stuck alert of " + job
                + "; it lists " + listed("AtlasExportJobStuck", job), () -> resolved("AtlasExportJobStuck", job));
    }
}
