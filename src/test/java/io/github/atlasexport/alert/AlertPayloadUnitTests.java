package io.github.atlasexport.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.atlas.ExportJob;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.github.atlasexport.alert.AlertFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertPayloadUnitTests {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T1 = T0.plus(Duration.ofMinutes(30));

    static JsonNode parse(byte[] body) throws Exception {
        return JSON.readTree(body);
    }

    static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Firing and resolved notices of one stuck alert. */
    static List<AlertNotice> stuckPair() {
        ExportJob running = job("j1", "InProgress");
        RuleResult fired = AlertRules.evaluate(AlertState.empty(),
                ok(T0, List.of(stuck(running, Duration.ofHours(7), T0)), running), T0, ALERTS, STUCK);
        ExportJob done = successful("j1", T1);
        RuleResult resolved = AlertRules.evaluate(fired.next(),
                ok(T1, List.of(changed(done, "InProgress", T1)), done), T1, ALERTS, STUCK);
        return List.of(fired.notices().get(0), resolved.notices().get(0));
    }

    static AlertNotice targetDown() {
        AlertState state = AlertRules.evaluate(AlertState.empty(), failed(T0), T0, ALERTS, STUCK).next();
        Instant later = T0.plus(Duration.ofMinutes(10));
        return AlertRules.evaluate(state, failed(later), later, ALERTS, STUCK).notices().get(0);
    }

    @Test
    void webhookBodyHasExactlyTheDocumentedFields() throws Exception {
        AlertNotice notice = failedNotice();
        JsonNode body = parse(WebhookPayload.render(notice));
        assertEquals(new TreeSet<>(List.of("version", "id", "status", "alertname", "severity", "labels", "annotations",
                "startsAt", "endsAt", "job")), keys(body));
        assertEquals("1", body.get("version").asText());
        assertEquals(notice.id(), body.get("id").asText());
        assertEquals("firing", body.get("status").asText());
        assertEquals("AtlasExportJobFailed", body.get("alertname").asText());
        assertEquals("critical", body.get("severity").asText());
        assertEquals(notice.labels(), JSON.convertValue(body.get("labels"), Map.class));
        assertEquals(notice.annotations(), JSON.convertValue(body.get("annotations"), Map.class));
        assertEquals(notice.startsAt(), OffsetDateTime.parse(body.get("startsAt").asText()).toInstant());
        assertTrue(body.get("endsAt").isNull(), "endsAt is null while firing");

        JsonNode job = body.get("job");
        assertEquals(new TreeSet<>(List.of("id", "state", "previousState", "snapshotId", "exportBucketId", "createdAt",
                "finishedAt", "prefix", "stateReason", "errMsg")), keys(job));
        ExportJob expected = notice.job();
        assertEquals(expected.id(), job.get("id").asText());
        assertEquals("Failed", job.get("state").asText());
        assertEquals("InProgress", job.get("previousState").asText());
        assertEquals(expected.snapshotId(), job.get("snapshotId").asText());
        assertEquals("bucket-1", job.get("exportBucketId").asText());
        assertEquals(expected.createdAt(), OffsetDateTime.parse(job.get("createdAt").asText()).toInstant());
        assertEquals(expected.finishedAt(), OffsetDateTime.parse(job.get("finishedAt").asText()).toInstant());
        assertEquals(expected.prefix(), job.get("prefix").asText());
        assertEquals("EXPORT_FAILED", job.get("stateReason").get("errorCode").asText());
        assertEquals("Access denied to bucket", job.get("stateReason").get("message").asText());
        assertTrue(job.get("errMsg").isNull());
    }

    @Test
    void webhookBodyOfAResolvedClusterAlert() throws Exception {
        AlertNotice down = targetDown();
        JsonNode firing = parse(WebhookPayload.render(down));
        assertTrue(firing.get("job").isNull(), "cluster alerts carry no job");

        AlertNotice resolved = AlertRules.forgetCluster(new AlertState(Map.of(down.key(), new ActiveAlert(
                down.alertname(), down.severity(), down.labels(), down.annotations(), down.startsAt())), Set.of(),
                List.of()), CLUSTER, T1).notices().get(0);
        JsonNode body = parse(WebhookPayload.render(resolved));
        assertEquals("resolved", body.get("status").asText());
        assertEquals(T1, OffsetDateTime.parse(body.get("endsAt").asText()).toInstant());
        assertFalse(body.get("id").asText().equals(firing.get("id").asText()));
    }

    @Test
    void renderingIsDeterministic() {
        AlertNotice notice = failedNotice();
        assertEquals(new String(WebhookPayload.render(notice)), new String(WebhookPayload.render(failedNotice())));
    }

    @Test
    void slackMessageFollowsBlockKit() throws Exception {
        AlertNotice notice = failedNotice();
        JsonNode body = parse(SlackPayload.render(notice));
        assertEquals(Set.of("text", "blocks"), keys(body));
        assertEquals("[FIRING] " + notice.annotations().get("summary"), body.get("text").asText());

        JsonNode header = body.get("blocks").get(0);
        assertEquals("header", header.get("type").asText());
        assertEquals("plain_text", header.get("text").get("type").asText());
        assertTrue(header.get("text").get("text").asText().endsWith(notice.annotations().get("summary")),
                header.toString());
        assertTrue(notice.annotations().get("summary").contains(notice.job().id() + " of Cluster0 in project "),
                notice.annotations().get("summary"));

        JsonNode section = body.get("blocks").get(1);
        assertEquals("section", section.get("type").asText());
        assertEquals("mrkdwn", section.get("text").get("type").asText());
        assertTrue(section.get("text").get("text").asText().contains("Access denied to bucket"));
        Map<String, String> fields = new HashMap<>();
        for (JsonNode field : section.get("fields")) {
            assertEquals("mrkdwn", field.get("type").asText());
            String[] parts = field.get("text").asText().split("\n", 2);
            fields.put(parts[0], parts[1]);
        }
        assertTrue(fields.size() <= SlackPayload.FIELDS_MAX);
        assertEquals("Cluster0", fields.get("*Cluster*"));
        assertEquals(GROUP, fields.get("*Project*"));
        assertEquals(notice.job().id(), fields.get("*Job*"));
        assertEquals("3 of 10 collections exported", fields.get("*Progress*"));

        JsonNode context = body.get("blocks").get(2);
        assertEquals("context", context.get("type").asText());
        assertEquals("mrkdwn", context.get("elements").get(0).get("type").asText());
        assertTrue(context.get("elements").get(0).get("text").asText().contains(notice.id()));
    }

    @Test
    void slackTextsAreEscapedAndCutToSlackLimits() throws Exception {
        AlertNotice base = failedNotice();
        AlertNotice odd = new AlertNotice(base.id(), base.key(), AlertNotice.Status.RESOLVED, base.alertname(),
                base.severity(), base.labels(), Map.of("summary", "x".repeat(400), "description", "<b> & " + "y".repeat(4000)),
                base.startsAt(), T1, null, null);
        JsonNode body = parse(SlackPayload.render(odd));
        assertTrue(body.get("text").asText().startsWith("[RESOLVED] "));
        assertTrue(body.get("blocks").get(0).get("text").get("text").asText().length() <= SlackPayload.HEADER_MAX);
        String section = body.get("blocks").get(1).get("text").get("text").asText();
        assertTrue(section.length() <= SlackPayload.SECTION_MAX);
        assertTrue(section.startsWith("&lt;b&gt; &amp; y"), section.substring(0, 20));
    }

    @Test
    void alertmanagerAlertHasTheApiV2Fields() throws Exception {
        AlertNotice notice = stuckPair().get(0);
        URI generator = URI.create("http://monitor.example:9871/");
        Instant now = T0.plusSeconds(5);
        JsonNode body = parse(AlertmanagerPayload.render(List.of(AlertmanagerPayload.alert(notice,
                AlertmanagerPayload.endsAt(notice, now, Duration.ofMinutes(4), Duration.ofHours(1)), generator))));
        assertTrue(body.isArray());
        assertEquals(1, body.size());
        JsonNode alert = body.get(0);
        assertEquals(Set.of("labels", "annotations", "startsAt", "endsAt", "generatorURL"), keys(alert));
        assertEquals(notice.labels(), JSON.convertValue(alert.get("labels"), Map.class));
        assertEquals("InProgress", alert.get("labels").get("state").asText());
        assertEquals(notice.annotations(), JSON.convertValue(alert.get("annotations"), Map.class));
        assertEquals(T0, OffsetDateTime.parse(alert.get("startsAt").asText()).toInstant());
        assertEquals(now.plus(Duration.ofMinutes(4)), OffsetDateTime.parse(alert.get("endsAt").asText()).toInstant());
        assertEquals(generator.toString(), alert.get("generatorURL").asText());
        assertFalse(keys(AlertmanagerPayload.alert(notice, now, null)).contains("generatorURL"));
    }

    @Test
    void alertmanagerEndsAtByKindOfNotice() {
        Duration validity = Duration.ofMinutes(4);
        Duration ttl = Duration.ofHours(1);
        AlertNotice resolved = stuckPair().get(1);
        assertEquals(T1, AlertmanagerPayload.endsAt(resolved, T1.plusSeconds(99), validity, ttl));
        AlertNotice oneShot = failedNotice();
        assertEquals(T0.plus(ttl), AlertmanagerPayload.endsAt(oneShot, T0, validity, ttl));
        Instant late = T0.plus(Duration.ofHours(3)); // delivered after an outage: still shown for the full ttl
        assertEquals(late.plus(ttl), AlertmanagerPayload.endsAt(oneShot, late, validity, ttl));
    }

    @Test
    void pagerDutyTriggerFollowsEventsApiV2() throws Exception {
        AlertNotice notice = failedNotice();
        JsonNode event = parse(PagerDutyPayload.render(notice, "R0UT1NGKEY"));
        assertEquals(Set.of("routing_key", "event_action", "dedup_key", "client", "payload"), keys(event));
        assertEquals("R0UT1NGKEY", event.get("routing_key").asText());
        assertEquals("trigger", event.get("event_action").asText());
        assertEquals(notice.key(), event.get("dedup_key").asText());
        JsonNode payload = event.get("payload");
        assertEquals(Set.of("summary", "source", "severity", "timestamp", "component", "group", "class",
                "custom_details"), keys(payload));
        assertEquals(notice.annotations().get("summary"), payload.get("summary").asText());
        assertEquals(GROUP + "/Cluster0", payload.get("source").asText());
        assertEquals("critical", payload.get("severity").asText());
        assertEquals(notice.startsAt(), OffsetDateTime.parse(payload.get("timestamp").asText()).toInstant());
        assertEquals("Cluster0", payload.get("component").asText());
        assertEquals(GROUP, payload.get("group").asText());
        assertEquals("AtlasExportJobFailed", payload.get("class").asText());
        assertEquals(notice.job().id(), payload.get("custom_details").get("job").get("id").asText());
        assertTrue(payload.get("custom_details").get("description").asText().contains("EXPORT_FAILED"));
    }

    @Test
    void pagerDutyResolveCarriesOnlyKeyActionAndTheSameDedupKey() throws Exception {
        List<AlertNotice> pair = stuckPair();
        JsonNode trigger = parse(PagerDutyPayload.render(pair.get(0), "k"));
        JsonNode resolve = parse(PagerDutyPayload.render(pair.get(1), "k"));
        assertEquals(Set.of("routing_key", "event_action", "dedup_key"), keys(resolve));
        assertEquals("resolve", resolve.get("event_action").asText());
        assertEquals(trigger.get("dedup_key"), resolve.get("dedup_key"));
        assertEquals("warning", trigger.get("payload").get("severity").asText());
    }

    @Test
    void pagerDutyLimitsAndSeverities() throws Exception {
        AlertNotice base = failedNotice();
        AlertNotice wordy = new AlertNotice(base.id(), "k".repeat(300), base.status(), base.alertname(), "page",
                base.labels(), Map.of("summary", "s".repeat(2000)), base.startsAt(), null, null, null);
        JsonNode event = parse(PagerDutyPayload.render(wordy, "k"));
        assertTrue(event.get("payload").get("summary").asText().length() <= PagerDutyPayload.SUMMARY_MAX);
        assertTrue(event.get("dedup_key").asText().length() <= PagerDutyPayload.DEDUP_KEY_MAX);
        Map<String, String> expected = Map.of("critical", "critical", "page", "critical", "error", "error",
                "warning", "warning", "WARN", "warning", "info", "info", "whatever", "info");
        expected.forEach((configured, mapped) -> assertEquals(mapped, PagerDutyPayload.severity(configured), configured));
    }
}
