package io.github.atlasexport.http;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.coverage.ClusterCoverage;
import io.github.atlasexport.coverage.ExportPolicy;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.TargetStatus;
import io.github.atlasexport.monitor.TrackedJob;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusPageUnitTests {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final ClusterKey CLUSTER = new ClusterKey("5f0a1b2c3d4e5f6a7b8c9d0e", "Cluster0");

    private static ExportJob job(String id, String state, Instant created) {
        return new ExportJob(id, "snap-" + id, "bucket-1", created, null, null, state, null, null, null, null, null);
    }

    private static TargetStatus target(Map<String, TrackedJob> jobs) {
        return new TargetStatus(CLUSTER, new ClusterSnapshot(CLUSTER, jobs, NOW), NOW, NOW, null);
    }

    @Test
    void theJobsTableShowsTheNewestJobsWithTheirProjectAndHowManyThereAre() {
        Map<String, TrackedJob> jobs = new LinkedHashMap<>();
        for (int i = 0; i < 12_345; i++) {
            Instant at = NOW.minusSeconds(60L * i);
            jobs.put("job-" + i, new TrackedJob(job("job-" + i, "Successful", at), at, at, at, false));
        }

        String page = StatusPage.render(List.of(target(jobs)), List.of(), Map.of(), List.of(), List.of(), List.of(), true, NOW);

        assertTrue(page.contains("showing 200 of 12,345"), page);
        assertEquals(StatusPage.MAX_JOB_ROWS, count(page, "<td><code>job-"));
        assertTrue(page.contains("<td><code>job-0</code>") && !page.contains("<td><code>job-200</code>"), "the newest 200");
        assertEquals(StatusPage.MAX_JOB_ROWS + 1, count(page, "<td><code>5f0a1b2c3d4e5f6a7b8c9d0e</code></td><td>Cluster0"),
                "a project cell in each job row and in the targets table");
    }

    @Test
    void aProjectIsNamedWhenDiscoveryKnowsItsName() {
        TrackedJob done = new TrackedJob(job("done", "Successful", NOW), NOW, NOW, NOW, false);

        String page = StatusPage.render(List.of(target(Map.of("done", done))), List.of(), Map.of(CLUSTER.groupId(), "Shop <EU>"),
                List.of(), List.of(), List.of(), true, NOW);

        assertEquals(2, count(page, "<td>Shop &lt;EU&gt; <code>5f0a1b2c3d4e5f6a7b8c9d0e</code></td><td>Cluster0"), page);
    }

    /** A job first seen mid-state has been in it since createdAt, as the stuck alert counts, not since first seen. */
    @Test
    void inStateForIsTheStuckClock() {
        Instant created = NOW.minus(Duration.ofHours(7));
        Instant firstSeen = NOW.minusSeconds(11);
        TrackedJob hung = new TrackedJob(job("hung", "InProgress", created), firstSeen, firstSeen, created, true);

        String page = StatusPage.render(List.of(target(Map.of("hung", hung))), List.of(), Map.of(), List.of(), List.of(), List.of(), true, NOW);

        Matcher row = Pattern.compile("<code>hung</code>.*?</tr>").matcher(page);
        assertTrue(row.find(), page);
        assertTrue(row.group().contains("<td>7h 0m</td><td>7h 0m ago</td>"), row.group());
    }

    @Test
    void theCoverageTableShowsPolicyRecoveryPointUnexportedSnapshotsAndBucketPerCluster() {
        ExportPolicy daily = new ExportPolicy(true, "66bb0000000000000000c001", "daily");
        ClusterCoverage lapsed = new ClusterCoverage(CLUSTER, daily, "snap-old", NOW.minus(Duration.ofHours(31)), 2,
                NOW.minus(Duration.ofHours(1)), true, NOW);
        ClusterCoverage fresh = new ClusterCoverage(new ClusterKey(CLUSTER.groupId(), "Cluster1"), daily, "snap-new",
                NOW.minus(Duration.ofHours(2)), 0, NOW.plus(Duration.ofHours(28)), false, NOW);
        ClusterCoverage none = new ClusterCoverage(new ClusterKey(CLUSTER.groupId(), "Cluster2"), ExportPolicy.NONE,
                null, null, 3, null, false, NOW);

        String page = StatusPage.render(List.of(target(Map.of())), List.of(), Map.of(CLUSTER.groupId(), "Shop"),
                List.of(lapsed, fresh, none), List.of(), List.of(), true, NOW);

        assertTrue(page.contains("<h2>Export coverage</h2>"), page);
        assertEquals("<td>Shop <code>5f0a1b2c3d4e5f6a7b8c9d0e</code></td><td>Cluster0</td><td>auto-export daily</td>"
                        + "<td>1d 7h</td><td>2</td><td><code>66bb0000000000000000c001</code></td>"
                        + "<td><span class=\"down\">overdue</span> since 1h 0m ago</td>",
                row(page, "Cluster0</td><td>auto-export"));
        assertEquals("<td>Shop <code>5f0a1b2c3d4e5f6a7b8c9d0e</code></td><td>Cluster1</td><td>auto-export daily</td>"
                        + "<td>2h 0m</td><td>0</td><td><code>66bb0000000000000000c001</code></td>"
                        + "<td><span class=\"up\">on time</span>, due in 1d 4h</td>",
                row(page, "Cluster1</td>"));
        assertEquals("<td>Shop <code>5f0a1b2c3d4e5f6a7b8c9d0e</code></td><td>Cluster2</td>"
                        + "<td><span class=\"muted\">no auto-export</span></td><td><span class=\"muted\">nothing exported</span></td>"
                        + "<td>3</td><td></td><td><span class=\"muted\">-</span></td>",
                row(page, "Cluster2</td>"));
    }

    @Test
    void withoutCoverageThereIsNoCoverageTable() {
        String page = StatusPage.render(List.of(target(Map.of())), List.of(), Map.of(), List.of(), List.of(), List.of(), true, NOW);

        assertTrue(!page.contains("Export coverage"), page);
    }

    /** The cells of the one table row holding {@code part}. */
    private static String row(String page, String part) {
        int at = page.indexOf(part);
        assertTrue(at >= 0 && page.indexOf(part, at + 1) < 0, "exactly one row with " + part + ": " + page);
        int start = page.lastIndexOf("<tr>", at) + "<tr>".length();
        return page.substring(start, page.indexOf("</tr>", at));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
