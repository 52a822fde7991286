package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.testing.StateDb;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.testing.Await;
import io.github.atlasexport.testing.TempDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.github.atlasexport.runtime.AlertsEndToEnd.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole monitor, in process, polling the simulator and delivering to real HTTP receivers: every
 * kind of job alert arrives, signed, and a receiver that fails for a while still gets each notice
 * exactly once as a 2xx.
 */
class WebhookEndToEndIntegrationTests {
    static AtlasSimulator simulator;
    Path stateDir;

    @BeforeAll
    static void startSimulator() {
        simulator = simulator();
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void createStateDir() throws Exception {
        stateDir = Files.createTempDirectory("webhook-e2e");
    }

    @AfterEach
    void deleteStateDir() {
        TempDirs.delete(stateDir);
    }

    /** The jobs of one run, and the alertname/status/job of each notice they must raise. */
    record Run(String failed, String cancelled, String stuck) {
        Set<String> expected() {
            return Set.of("AtlasExportJobFailed/firing/" + failed, "AtlasExportJobCancelled/firing/" + cancelled,
                    "AtlasExportJobStuck/firing/" + stuck, "AtlasExportJobStuck/resolved/" + stuck);
        }
    }

    /** One job fails and one is cancelled after the monitor saw them Queued; one runs past the stuck threshold, then ends. */
    static Run raiseEveryJobAlert(MonitorRuntime monitor) {
        URI url = URI.create(monitor.url());
        awaitReady(url);
        Run run = new Run(queuedJob(simulator), queuedJob(simulator), runningJob(simulator));
        awaitMonitorSees(url, run.failed(), "Queued");
        awaitMonitorSees(url, run.cancelled(), "Queued");
        setState(simulator, run.failed(), "Failed");
        setState(simulator, run.cancelled(), "Cancelled");
        Await.until(Duration.ofSeconds(30), () -> "job " + run.stuck() + " to be reported stuck",
                () -> firing(url, "AtlasExportJobStuck", run.stuck()));
        setState(simulator, run.stuck(), "Successful");
        return run;
    }

    static boolean firing(URI monitor, String alertname, String jobId) {
        for (JsonNode alert : getJson(monitor.resolve("api/v1/alerts")).path("alerts")) {
            if (alertname.equals(alert.path("alertname").asText())
                    && jobId.equals(alert.path("labels").path("job_id").asText())) {
                return true;
            }
        }
        return false;
    }

    static void awaitAccepted(AlertReceiver receiver, Run run) {
        Await.until(Duration.ofSeconds(30), () -> "every notice of " + run + " accepted; got " + receiver.deliveries(),
                () -> receiver.acceptedCounts().keySet().containsAll(run.expected()));
    }

    /** The monitor, on this test's state file, sending every alert signed to {@code receiver}. */
    MonitorRuntime monitorAlerting(AlertReceiver receiver) {
        return MonitorRuntime.start(config(simulator, List.of(webhook(receiver.url(), AlertReceiver.SECRET)),
                stateDir.resolve("state.db")), FAST_RETRIES);
    }

    @Test
    void everyJobAlertArrivesSignedWithItsJob() {
        try (AlertReceiver receiver = AlertReceiver.alwaysOk();
             MonitorRuntime monitor = monitorAlerting(receiver)) {
            Run run = raiseEveryJobAlert(monitor);
            awaitAccepted(receiver, run);

            List<AlertReceiver.Delivery> deliveries = receiver.deliveries();
            assertEquals(run.expected(), receiver.acceptedCounts().keySet());
            assertEquals(Set.of(1L), Set.copyOf(receiver.acceptedCounts().values()), () -> "a healthy receiver "
                    + "gets each notice once: " + receiver.acceptedCounts());
            for (AlertReceiver.Delivery delivery : deliveries) {
                assertTrue(delivery.signatureValid(), () -> "bad signature on " + delivery);
                assertEquals(delivery.id(), delivery.webhookId(), "webhook-id header is the body's id");
                assertEquals("1", delivery.body().path("version").asText());
                assertEquals(GROUP, delivery.body().path("labels").path("group_id").asText());
                assertEquals(CLUSTER, delivery.body().path("labels").path("cluster_name").asText());
                assertEquals(delivery.jobId(), delivery.body().path("job").path("id").asText());
            }
            assertEquals(4, deliveries.stream().map(AlertReceiver.Delivery::id).distinct().count(),
                    "one id per notice");

            JsonNode failed = only(deliveries, "AtlasExportJobFailed");
            assertEquals("critical", failed.path("severity").asText());
            assertEquals("Failed", failed.path("job").path("state").asText());
            assertEquals("Queued", failed.path("job").path("previousState").asText());
            assertTrue(failed.path("endsAt").isNull(), "a firing notice has no endsAt");
            JsonNode cancelled = only(deliveries, "AtlasExportJobCancelled");
            assertEquals("warning", cancelled.path("severity").asText());
            assertEquals("Cancelled", cancelled.path("job").path("state").asText());

            JsonNode stuckResolved = deliveries.stream()
                    .filter(d -> d.what().equals("AtlasExportJobStuck/resolved/" + run.stuck()))
                    .findFirst().orElseThrow().body();
            assertEquals("InProgress", stuckResolved.path("labels").path("state").asText());
            assertEquals("Successful", stuckResolved.path("job").path("state").asText());
            assertFalse(stuckResolved.path("endsAt").isNull(), "a resolved notice says when it ended");
            assertFalse(firing(URI.create(monitor.url()), "AtlasExportJobStuck", run.stuck()),
                    "the monitor no longer lists the stuck alert");
        }
    }

    private static JsonNode only(List<AlertReceiver.Delivery> deliveries, String alertname) {
        List<JsonNode> bodies = deliveries.stream().filter(d -> d.alertname().equals(alertname))
                .map(AlertReceiver.Delivery::body).toList();
        assertEquals(1, bodies.size(), () -> alertname + " deliveries: " + bodies);
        return bodies.get(0);
    }

    /** 503 for the first four requests, then one 429 with Retry-After: 1, then 200 for good. */
    static int flaky(int request) {
        return request <= 4 ? 503 : request == 5 ? 429 : 200;
    }

    @Test
    void aReceiverThatFailsForAWhileGetsEachNoticeExactlyOnceInTheEnd() {
        try (AlertReceiver receiver = AlertReceiver.start(WebhookEndToEndIntegrationTests::flaky);
             MonitorRuntime monitor = monitorAlerting(receiver)) {
            Run run = raiseEveryJobAlert(monitor);
            awaitAccepted(receiver, run);

            List<AlertReceiver.Delivery> deliveries = receiver.deliveries();
            assertEquals(List.of(503, 503, 503, 503, 429), deliveries.subList(0, 5).stream()
                    .map(AlertReceiver.Delivery::status).toList());
            Map<String, Long> acceptedById = receiver.accepted().stream()
                    .collect(Collectors.groupingBy(AlertReceiver.Delivery::id, Collectors.counting()));
            assertEquals(4, acceptedById.size(), () -> "four notices: " + deliveries);
            assertEquals(Set.of(1L), Set.copyOf(acceptedById.values()), () -> "each id accepted once: " + deliveries);
            assertEquals(acceptedById.keySet(), deliveries.stream().map(AlertReceiver.Delivery::id)
                    .collect(Collectors.toSet()), "a retry reuses the notice's id");
            assertEquals(run.expected(), receiver.acceptedCounts().keySet());
            assertTrue(deliveries.stream().allMatch(AlertReceiver.Delivery::signatureValid),
                    "every attempt is signed afresh");

            // Each notice has its own retry clock: the 429 delays only the notice it answered.
            AlertReceiver.Delivery limited = deliveries.get(4);
            AlertReceiver.Delivery again = deliveries.stream().skip(5).filter(d -> d.id().equals(limited.id()))
                    .findFirst().orElseThrow();
            long afterRetryAfter = again.atNanos() - limited.atNanos();
            assertTrue(afterRetryAfter >= Duration.ofMillis(950).toNanos(),
                    () -> "Retry-After: 1 honoured, next attempt came after " + afterRetryAfter / 1_000_000 + "ms");
        }
    }

    @Test
    void aClusterDroppedFromTheConfigHasItsAlertsResolvedAtTheNextStart() throws IOException {
        Path state = stateDir.resolve("state.db");
        String job = runningJob(simulator);
        try (AlertReceiver receiver = AlertReceiver.alwaysOk()) {
            List<MonitorConfig.Sink> sinks = List.of(webhook(receiver.url(), AlertReceiver.SECRET));
            try (MonitorRuntime first = MonitorRuntime.start(config(simulator, CLUSTER, sinks, state), FAST_RETRIES)) {
                Await.until(Duration.ofSeconds(30), () -> "the stuck alert of " + job + " delivered",
                        () -> receiver.acceptedCounts().containsKey("AtlasExportJobStuck/firing/" + job));
            }

            try (MonitorRuntime second = MonitorRuntime.start(config(simulator, QUIET_CLUSTER, sinks, state),
                    FAST_RETRIES)) {
                Await.until(Duration.ofSeconds(30), () -> "the stuck alert of " + job + " resolved; got " + receiver.deliveries(),
                        () -> receiver.acceptedCounts().containsKey("AtlasExportJobStuck/resolved/" + job));
                URI url = URI.create(second.url());
                awaitReady(url);
                assertEquals(0, getJson(url.resolve("api/v1/alerts")).path("alerts").size(),
                        "nothing fires for a cluster that is not monitored");
                for (JsonNode listed : getJson(url.resolve("api/v1/jobs")).path("jobs")) {
                    assertEquals(QUIET_CLUSTER, listed.path("cluster_name").asText(), listed::toString);
                }
            }
            assertEquals(List.of(GROUP + "/" + QUIET_CLUSTER), StateDb.clusters(state),
                    "the state database forgets the dropped cluster");
        } finally {
            setState(simulator, job, "Successful"); // a running job would be stuck in the other tests' first polls
        }
    }
}
