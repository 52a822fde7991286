package io.github.atlasexport.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static io.github.atlasexport.config.ConfigFixtures.assertProblem;
import static io.github.atlasexport.config.ConfigFixtures.fails;
import static io.github.atlasexport.config.ConfigFixtures.load;
import static io.github.atlasexport.config.ConfigFixtures.minimal;
import static io.github.atlasexport.config.ConfigFixtures.withTargets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every duration and number has a sane range: a value outside it (a typo with extra zeros, a value
 * that would overflow once used as a delay) is a config error naming the key path and the range.
 */
class ConfigBoundsUnitTests {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "poll.interval                  | 200000000000d | duration too large: '200000000000d'",
            "poll.interval                  | 25h           | must be at most 1d, got '25h' (allowed: 100ms..1d)",
            "poll.activeInterval            | 50ms          | must be at least 100ms, got '50ms' (allowed: 100ms..1d)",
            "poll.historyWindow             | 91d           | must be at most 90d, got '91d' (allowed: 0s..90d)",
            "poll.historyWindow             | 106751991167d | must be at most 90d",
            "atlas.requestTimeout           | 6m            | must be at most 5m, got '6m' (allowed: 1s..5m)",
            "alerts.stuck.inProgressAfter   | 31d           | must be at most 30d, got '31d' (allowed: 1s..30d)",
            "alerts.stuck.queuedAfter       | PT999999H     | must be at most 30d",
            "alerts.noRecentSuccess.after   | 365d          | must be at most 90d, got '365d' (allowed: 0 or 1s..90d)",
            "alerts.targetDown.after        | 8d            | must be at most 7d, got '8d' (allowed: 0 or 1s..7d)",
            "alerts.targetDown.after        | 500ms         | must be at least 1s, got '500ms' (allowed: 0 or 1s..7d)",
            "atlas.maxConcurrency           | 257           | must be at most 256, got 257 (allowed: 1..256)",
            "atlas.maxConcurrency           | 0             | must be at least 1, got 0 (allowed: 1..256)",
            "atlas.requestsPerMinute        | 100001        | must be at most 100000, got 100001 (allowed: 1..100000)",
            "atlas.requestsPerMinute        | 9999999999    | must be a whole number, got '9999999999' (allowed: 1..100000)",
            "alerts.overdue.grace           | 32d           | must be at most 31d, got '32d' (allowed: 0s..31d)",
            "alerts.bucketFailing.after     | 0             | must be at least 1, got 0 (allowed: 1..100)",
            "alerts.bucketFailing.after     | 101           | must be at most 100, got 101 (allowed: 1..100)",
            "coverage.interval              | 25h           | must be at most 1d, got '25h' (allowed: 100ms..1d)",
            "coverage.interval              | 0s            | must be greater than 0 (allowed: 100ms..1d)",
    })
    void aValueOutOfRangeIsAnErrorNamingTheKeyAndTheRange(String keyPath, String value, String message) {
        ConfigException e = fails(at(keyPath, value));

        assertProblem(e, keyPath, message);
        assertEquals(1, e.problems().size(), e::getMessage);
    }

    @Test
    void perTargetPollOverridesAreBoundedToo() {
        ConfigException e = fails(withTargets("""
                targets:
                  - groupId: 5f0a1b2c3d4e5f6a7b8c9d0e
                    poll: {interval: 200000000000d}
                """));

        assertProblem(e, "targets[0].poll.interval", "duration too large");
    }

    @ParameterizedTest
    @CsvSource({"poll.interval, 24h", "poll.interval, 100ms", "poll.historyWindow, 90d", "poll.historyWindow, 0s",
            "atlas.requestTimeout, 5m", "atlas.maxConcurrency, 256", "atlas.requestsPerMinute, 100000",
            "alerts.targetDown.after, 0s", "alerts.noRecentSuccess.after, 90d", "alerts.stuck.inProgressAfter, 30d",
            "alerts.overdue.grace, 0s", "alerts.overdue.grace, 31d", "alerts.bucketFailing.after, 1",
            "alerts.bucketFailing.after, 100", "coverage.interval, 100ms", "coverage.interval, 1d"})
    void theBoundsThemselvesAreAllowed(String keyPath, String value) {
        load(at(keyPath, value));
    }

    @Test
    void coverageKeysHaveTheirSpecDefaultsAndAreRead() {
        MonitorConfig defaults = load(minimal(""));
        assertEquals(new MonitorConfig.Coverage(true, Duration.ofMinutes(15)), defaults.coverage());
        assertEquals(new MonitorConfig.Overdue(Duration.ofHours(6), "warning"), defaults.alerts().overdue());
        assertEquals(new MonitorConfig.BucketFailing(3, "critical"), defaults.alerts().bucketFailing());

        MonitorConfig set = load(minimal("""
                coverage: {enabled: false, interval: 1h}
                alerts:
                  overdue: {grace: 2h, severity: critical}
                  bucketFailing: {after: 5, severity: warning}
                """));
        assertEquals(new MonitorConfig.Coverage(false, Duration.ofHours(1)), set.coverage());
        assertEquals(new MonitorConfig.Overdue(Duration.ofHours(2), "critical"), set.alerts().overdue());
        assertEquals(new MonitorConfig.BucketFailing(5, "warning"), set.alerts().bucketFailing());
    }

    @Test
    void aDurationThatOverflowsMillisecondsIsNoDuration() {
        assertEquals("duration too large: '200000000000d'",
                assertThrows(IllegalArgumentException.class, () -> Durations.parse("200000000000d")).getMessage());
        assertEquals(Duration.ofDays(106_751_991_167L), Durations.parse("106751991167d"));
    }

    /** The minimal config with one more key, {@code a.b.c: value}, written as nested flow mappings. */
    private static String at(String keyPath, String value) {
        if (keyPath.startsWith("atlas.")) { // the minimal config has an atlas block already: add the key to it
            return minimal("").replace("auth:", keyPath.substring("atlas.".length()) + ": " + value + "\n  auth:");
        }
        String[] keys = keyPath.split("\\.");
        String yaml = value;
        for (int i = keys.length - 1; i > 0; i--) {
            yaml = "{" + keys[i] + ": " + yaml + "}";
        }
        return minimal(keys[0] + ": " + yaml);
    }
}
