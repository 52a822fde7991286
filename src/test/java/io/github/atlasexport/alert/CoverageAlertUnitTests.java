package io.github.atlasexport.alert;

import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.coverage.BucketVerdict;
import io.github.atlasexport.coverage.ClusterCoverage;
import io.github.atlasexport.coverage.ExportPolicy;
import io.github.atlasexport.monitor.ClusterKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoverageAlertUnitTests {
    private static final String GROUP = "5f0a1b2c3d4e5f6a7b8c9d0e";
    private static final ClusterKey CLUSTER = new ClusterKey(GROUP, "Cluster0");
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final MonitorConfig.Overdue OVERDUE = new MonitorConfig.Overdue(Duration.ofHours(6), "warning");
    private static final MonitorConfig.BucketFailing FAILING = new MonitorConfig.BucketFailing(3, "critical");
    private static final ExportPolicy DAILY = new ExportPolicy(true, "b1", "daily");

    @Test
    void overdueFiresOnceFromTheDeadlineAndResolvesWhenAFreshExportLands() {
        Instant deadline = T0.plus(Duration.ofHours(30));
        ClusterCoverage late = new ClusterCoverage(CLUSTER, DAILY, "s1", T0, 2, deadline, true, deadline.plusSeconds(90));

        RuleResult fired = AlertRules.evaluateCoverage(AlertState.empty(), late, late.assessedAt(), OVERDUE, "Shop");
        assertEquals(1, fired.notices().size());
        AlertNotice notice = fired.notices().get(0);
        assertEquals(AlertName.OVERDUE, notice.alertname());
        assertEquals(deadline, notice.startsAt(), "derived from Atlas's data, so a restart or a replica sends the same");
        assertEquals(Map.of("alertname", AlertName.OVERDUE, "severity", "warning", "group_id", GROUP,
                "cluster_name", "Cluster0"), notice.labels());
        assertTrue(notice.annotations().get("summary").contains("Cluster0 in project Shop"), notice.annotations().toString());
        assertTrue(notice.annotations().get("description").contains("2 newer completed snapshots not exported"));
        assertEquals(List.of(), AlertRules.evaluateCoverage(fired.next(), late, late.assessedAt().plusSeconds(60),
                OVERDUE, "Shop").notices());

        ClusterCoverage fresh = new ClusterCoverage(CLUSTER, DAILY, "s9", deadline, 0, deadline.plus(Duration.ofHours(30)),
                false, deadline.plusSeconds(900));
        RuleResult resolved = AlertRules.evaluateCoverage(fired.next(), fresh, fresh.assessedAt(), OVERDUE, "Shop");
        assertEquals(AlertNotice.Status.RESOLVED, resolved.notices().get(0).status());
        assertEquals(fresh.assessedAt(), resolved.notices().get(0).endsAt());
        assertTrue(resolved.next().active().isEmpty());
    }

    @Test
    void aFailingBucketAlertsOnceUnderItsProjectAndResolvesWhenAnExportToItSucceeds() {
        Instant since = T0.plus(Duration.ofHours(3));
        List<BucketVerdict> failing = List.of(new BucketVerdict(GROUP, "b1", true, 3, since, "denied"),
                new BucketVerdict(GROUP, "b2", false, 1, null, "x"));

        RuleResult fired = AlertRules.evaluateBuckets(AlertState.empty(), GROUP, failing, Map.of("b1", "shop-dr"),
                T0.plus(Duration.ofHours(4)), FAILING, null);
        assertEquals(1, fired.notices().size());
        AlertNotice notice = fired.notices().get(0);
        assertEquals("b1", notice.labels().get("export_bucket_id"));
        assertEquals("critical", notice.severity());
        assertEquals(since, notice.startsAt());
        assertTrue(notice.annotations().get("summary").contains("shop-dr (b1)"), notice.annotations().toString());
        // Restart-safe: the state splits back onto the project's discovery key, where the next evaluation looks.
        assertEquals(Map.of(AlertRules.discoveryKey(GROUP), fired.next()), fired.next().byCluster());
        assertEquals(List.of(), AlertRules.evaluateBuckets(fired.next(), GROUP, failing, Map.of(),
                T0.plus(Duration.ofHours(5)), FAILING, null).notices());

        RuleResult resolved = AlertRules.evaluateBuckets(fired.next(), GROUP,
                List.of(new BucketVerdict(GROUP, "b1", false, 0, null, null)), Map.of(), T0.plus(Duration.ofHours(6)),
                FAILING, null);
        assertEquals(AlertNotice.Status.RESOLVED, resolved.notices().get(0).status());
        assertTrue(resolved.next().active().isEmpty());
    }

    @Test
    void bucketAlertsLeaveTheProjectsDiscoveryStateAlone() {
        AlertBook book = AlertBook.of(AlertState.empty());
        book.evaluateBuckets(GROUP, List.of(new BucketVerdict(GROUP, "b1", true, 3, T0, null)), Map.of(), T0, FAILING, null);
        assertEquals(1, book.activeAlerts().size());
        assertEquals(List.of(), List.copyOf(book.clusters()), "no cluster clock: a restart does not take it for a cluster to forget");
    }
}
