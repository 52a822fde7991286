package io.github.atlasexport.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.monitor.JobEvent;
import io.github.atlasexport.monitor.Observation;
import io.github.atlasexport.testing.Await;
import io.github.atlasexport.testing.LocalAlertmanager;
import io.github.atlasexport.testing.TempDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.atlasexport.alert.AlertFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the real Prometheus Alertmanager (Debian package prometheus-alertmanager). */
class AlertmanagerIntegrationTests {
    static final ObjectMapper JSON = new ObjectMapper();
    static final URI GENERATOR = URI.create("http://127.0.0.1:9871/");

    static Path workDir;
    static LocalAlertmanager alertmanager;
    static final HttpClient http = HttpClient.create().responseTimeout(Duration.ofSeconds(5));

    /** What the sink's keep-alive re-sends: the rules' current firing alerts. */
    static final AtomicReference<List<ActiveAlert>> firing = new AtomicReference<>(List.of());
    static Sink sink;

    @BeforeAll
    static void startAlertmanager() throws Exception {
        workDir = Files.createTempDirectory("alertmanager-it");
        alertmanager = LocalAlertmanager.start(workDir);
        sink = AlertSinks.create(List.of(new MonitorConfig.Sink("alertmanager", alertmanager.url(), null, null, null)),
                SinkOptions.create().withGeneratorUrl(GENERATOR), firing::get).get(0);
    }

    @AfterAll
    static void stopAlertmanager() {
        try {
            if (alertmanager != null) {
                alertmanager.close();
            }
        } finally {
            TempDirs.delete(workDir);
        }
    }

    /** The alerts Alertmanager lists (it leaves resolved ones out) for one job. */
    static List<JsonNode> alertsOfJob(String jobId) throws Exception {
        String body = http.get().uri(alertmanager.url().resolve("api/v2/alerts").toString())
                .responseSingle((response, content) -> content.asString())
                .block(Duration.ofSeconds(5));
        List<JsonNode> alerts = new ArrayList<>();
        for (JsonNode alert : JSON.readTree(body)) {
            if (jobId.equals(alert.get("labels").path("job_id").asText())) {
                alerts.add(alert);
            }
        }
        return alerts;
    }

    static Instant time(JsonNode node) {
        return OffsetDateTime.parse(node.asText()).toInstant();
    }

    static Observation observation(Instant at, JobEvent event, ExportJob job) {
        return ok(at, List.of(event), job);
    }

    static RuleResult stuckFor(String jobId, AlertState state, Instant now) {
        ExportJob running = job(jobId, "InProgress");
        return AlertRules.evaluate(state, observation(now, stuck(running, Duration.ofHours(7), now), running), now,
                ALERTS, STUCK);
    }

    @Test
    void aFiringNoticeDeliveredByTheDispatcherIsActiveWithItsLabels() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        AlertNotice notice = stuckFor("am-firing", AlertState.empty(), now).notices().get(0);
        DeliveryProbe probe = new DeliveryProbe();
        AlertDispatcher dispatcher = new AlertDispatcher(List.of(sink), List.of(),
                DeliveryOptions.create().withBackoff(Duration.ofMillis(50), Duration.ofMillis(200)),
                probe, Schedulers.parallel(), Math::random);
        Disposable running = dispatcher.start();
        try {
            dispatcher.enqueue(List.of(notice));
            Await.until(Duration.ofSeconds(30), () -> "the dispatcher to deliver", () -> !probe.sent.isEmpty());
        } finally {
            running.dispose();
        }
        assertEquals(List.of("AtlasExportJobStuck"), probe.sentAlertnames);

        List<JsonNode> alerts = alertsOfJob("am-firing");
        assertEquals(1, alerts.size());
        JsonNode alert = alerts.get(0);
        assertEquals(notice.labels(), JSON.convertValue(alert.get("labels"), Map.class));
        assertEquals(Map.of("alertname", "AtlasExportJobStuck", "severity", "warning", "group_id", GROUP,
                "cluster_name", "Cluster0", "job_id", "am-firing", "state", "InProgress"),
                JSON.convertValue(alert.get("labels"), Map.class));
        assertEquals(notice.annotations(), JSON.convertValue(alert.get("annotations"), Map.class));
        assertEquals("active", alert.get("status").get("state").asText());
        assertEquals(notice.startsAt(), time(alert.get("startsAt")));
        assertEquals(GENERATOR.toString(), alert.get("generatorURL").asText());
        // valid for four resend intervals, extended by each keep-alive
        Instant endsAt = time(alert.get("endsAt"));
        assertTrue(endsAt.isAfter(Instant.now().plus(Duration.ofMinutes(3))), endsAt::toString);
    }

    @Test
    void aResolvedNoticeEndsTheAlert() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        RuleResult fired = stuckFor("am-resolved", AlertState.empty(), now);
        assertEquals(DeliveryResult.Outcome.DELIVERED,
                sink.deliver(fired.notices().get(0)).block(Duration.ofSeconds(10)).outcome());
        assertEquals(1, alertsOfJob("am-resolved").size());

        ExportJob done = successful("am-resolved", now);
        AlertNotice resolved = AlertRules.evaluate(fired.next(),
                observation(now, changed(done, "InProgress", now), done), Instant.now(), ALERTS, STUCK).notices().get(0);
        assertEquals(AlertNotice.Status.RESOLVED, resolved.status());
        assertEquals(DeliveryResult.Outcome.DELIVERED, sink.deliver(resolved).block(Duration.ofSeconds(10)).outcome());
        // endsAt is "now" at the latest: listed no more once Alertmanager's clock has passed it.
        Await.until(Duration.ofSeconds(30), () -> "Alertmanager to drop the resolved alert", () -> {
            try {
                return alertsOfJob("am-resolved").isEmpty();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aOneShotJobAlertClearsItselfAfterAnHour() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ExportJob job = failedJob("am-oneshot");
        AlertNotice notice = AlertRules.evaluate(AlertState.empty(), observation(now, changed(job, "InProgress", now), job),
                now, ALERTS, STUCK).notices().get(0);
        Instant before = Instant.now();
        assertEquals(DeliveryResult.Outcome.DELIVERED, sink.deliver(notice).block(Duration.ofSeconds(10)).outcome());
        JsonNode alert = alertsOfJob("am-oneshot").get(0);
        assertEquals("active", alert.get("status").get("state").asText());
        Instant endsAt = time(alert.get("endsAt"));
        assertTrue(!endsAt.isBefore(before.plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS))
                && endsAt.isBefore(Instant.now().plus(Duration.ofHours(1)).plusSeconds(1)), endsAt::toString);
    }

    @Test
    void keepAliveResendsWhatIsFiringWithAFreshEndsAt() throws Exception {
        Instant startsAt = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        RuleResult fired = stuckFor("am-keepalive", AlertState.empty(), startsAt);
        firing.set(fired.next().activeAlerts());
        try {
            assertEquals(DeliveryResult.Outcome.DELIVERED, sink.keepAlive().block(Duration.ofSeconds(10)).outcome());
        } finally {
            firing.set(List.of());
        }
        JsonNode alert = alertsOfJob("am-keepalive").get(0);
        assertEquals("active", alert.get("status").get("state").asText());
        assertEquals(fired.notices().get(0).startsAt(), time(alert.get("startsAt")));
        assertTrue(time(alert.get("endsAt")).isAfter(Instant.now().plus(Duration.ofMinutes(3))));
    }
}
