package io.github.atlasexport.alert;

import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.monitor.Discovery;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.github.atlasexport.alert.AlertFixtures.GROUP;
import static io.github.atlasexport.alert.AlertFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A {@code "*"} target whose clusters cannot be listed is a target down too: the project's, cluster_name empty. */
class DiscoveryAlertUnitTests {
    static final MonitorConfig.Threshold AFTER_10M = new MonitorConfig.Threshold(Duration.ofMinutes(10), "warning");

    static Discovery failed(int minute) {
        return new Discovery(GROUP, at(minute), new IllegalStateException("503 SERVICE_UNAVAILABLE"));
    }

    static Instant at(int minute) {
        return T0.plus(Duration.ofMinutes(minute));
    }

    @Test
    void failingDiscoveryFiresTargetDownAfterTheThresholdAndASuccessResolvesItEvenAfterARestart() {
        AlertBook book = AlertBook.of(AlertState.empty());
        for (int minute : new int[]{0, 5, 9}) {
            assertEquals(List.of(), book.evaluate(failed(minute), at(minute), AFTER_10M).notices(), "minute " + minute);
        }
        List<AlertNotice> down = book.evaluate(failed(10), at(10), AFTER_10M).notices();
        assertEquals(1, down.size());
        assertEquals(Map.of("alertname", "AtlasExportTargetDown", "severity", "warning", "group_id", GROUP,
                "cluster_name", ""), down.get(0).labels());
        assertEquals("Discovering the clusters of project " + GROUP + " failing for 10m",
                down.get(0).annotations().get("summary"));
        assertTrue(down.get(0).annotations().get("description").contains("Last error: 503 SERVICE_UNAVAILABLE"));
        assertEquals(List.of(), book.evaluate(failed(11), at(11), AFTER_10M).notices(), "fires once");
        assertTrue(book.clusters().contains(AlertRules.discoveryKey(GROUP)));

        AlertBook restarted = AlertBook.of(AlertState.merge(book.partsByCluster().values())); // what the state file gives back
        assertEquals(1, restarted.activeAlerts().size());
        List<AlertNotice> up = restarted.evaluate(new Discovery(GROUP, at(12), null), at(12), AFTER_10M).notices();
        assertEquals(List.of("resolved"), up.stream().map(n -> n.status().wire()).toList());
        assertEquals(List.of(), restarted.activeAlerts());
    }

    @Test
    void aDiscoveryFailureStartsNoClockForTheClustersOfTheProject() {
        AlertBook book = AlertBook.of(AlertState.empty());
        book.evaluate(failed(0), at(0), AFTER_10M);
        assertEquals(List.of(), book.evaluate(failed(30), at(30), new MonitorConfig.Threshold(Duration.ZERO, "warning"))
                .notices(), "after: 0s turns it off, as for clusters");
    }
}
