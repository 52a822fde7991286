package io.github.atlasexport.alert;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.config.MonitorConfig;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import static io.github.atlasexport.alert.AlertFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Undelivered notices stay with their destination when sinks are removed or reordered in the config. */
class SinkOutboxKeyUnitTests {
    static final MonitorConfig.Sink TEAM_A = slack("https://hooks.slack.com/services/T0/B0/team-a-token");
    static final MonitorConfig.Sink TEAM_B = slack("https://hooks.slack.com/services/T0/B1/team-b-token");

    static MonitorConfig.Sink slack(String url) {
        return new MonitorConfig.Sink("slack", URI.create(url), null, null, null);
    }

    static List<Sink> sinks(MonitorConfig.Sink... configs) {
        return AlertSinks.create(List.of(configs), SinkOptions.create(), List::of);
    }

    static OutboxEntry waitingFor(Sink sink, String jobId) {
        ExportJob job = failedJob(jobId);
        AlertNotice notice = AlertRules.evaluate(AlertState.empty(), ok(T0, List.of(changed(job, "InProgress", T0)), job),
                T0, ALERTS, STUCK).notices().get(0);
        return new OutboxEntry(sink.outboxKey(), notice, 3, Instant.EPOCH, "503 Service Unavailable");
    }

    static List<OutboxEntry> restoredInto(List<Sink> sinks, List<OutboxEntry> saved) {
        return new AlertDispatcher(sinks, saved, DeliveryOptions.create(), DeliveryListener.NONE, Schedulers.immediate(),
                () -> 0.5).pending();
    }

    @Test
    void removingTheFirstOfTwoSinksOnOneHostLeavesTheSecondItsOwnNotices() {
        List<Sink> before = sinks(TEAM_A, TEAM_B);
        assertEquals("slack:hooks.slack.com", before.get(0).name());
        assertEquals("slack:hooks.slack.com#2", before.get(1).name());
        OutboxEntry forA = waitingFor(before.get(0), "a1");
        OutboxEntry forB = waitingFor(before.get(1), "b1");

        List<Sink> after = sinks(TEAM_B);
        assertEquals("slack:hooks.slack.com", after.get(0).name(), "the name is positional");
        assertEquals(List.of(forB), restoredInto(after, List.of(forA, forB)), "team A's alert must not go to team B");
    }

    @Test
    void reorderedSinksKeepTheirNotices() {
        List<Sink> before = sinks(TEAM_A, TEAM_B);
        OutboxEntry forA = waitingFor(before.get(0), "a1");
        OutboxEntry forB = waitingFor(before.get(1), "b1");

        List<Sink> after = sinks(TEAM_B, TEAM_A);
        AlertDispatcher dispatcher = new AlertDispatcher(after, List.of(forA, forB), DeliveryOptions.create(),
                DeliveryListener.NONE, Schedulers.immediate(), () -> 0.5);
        assertEquals(1, dispatcher.queueSize(after.get(0).name()));
        assertEquals(List.of(forB, forA), dispatcher.pending(), "in sink order, each with its own");
        assertEquals(before.get(0).outboxKey(), after.get(1).outboxKey());
    }

    @Test
    void theKeyNamesTheSinkButNotItsSecretUrl() {
        String key = sinks(TEAM_A).get(0).outboxKey();
        assertTrue(key.startsWith("slack:hooks.slack.com@"), key);
        assertFalse(key.contains("team-a-token") || key.contains("/services/"), key);
        assertNotEquals(key, sinks(TEAM_B).get(0).outboxKey());
        assertEquals(key, sinks(TEAM_B, TEAM_A).get(1).outboxKey(), "the same destination, the same key");
    }

    @Test
    void theSameDestinationTwiceGetsTwoKeys() {
        List<Sink> twice = sinks(TEAM_A, TEAM_A);
        assertNotEquals(twice.get(0).outboxKey(), twice.get(1).outboxKey());
        OutboxEntry first = waitingFor(twice.get(0), "a1");
        OutboxEntry second = waitingFor(twice.get(1), "a2");
        assertEquals(List.of(first, second), restoredInto(twice, List.of(second, first)));
    }
}
