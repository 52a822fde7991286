package io.github.atlasexport.alert;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.DiffResult;
import io.github.atlasexport.monitor.ExportJobDiffer;
import io.github.atlasexport.monitor.Observation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.github.atlasexport.alert.AlertFixtures.ALERTS;
import static io.github.atlasexport.alert.AlertFixtures.CLUSTER;
import static io.github.atlasexport.alert.AlertFixtures.STUCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job's alert memory does not hang on one list: polls go through the differ and the rules as in the
 * monitor, and a job missing from one list (a shifted page, an empty answer) and back in the next is
 * the job already known, not news.
 */
class JobAlertMemoryUnitTests {
    static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");
    static final Duration HISTORY_WINDOW = Duration.ofDays(7);

    /** A failure from 2025, history when the monitor first looks. */
    static final ExportJob OLD_FAILURE = job("old-failed", "Failed", Instant.parse("2025-03-14T09:00:00Z"));
    static final ExportJob OLD_CANCELLED = job("old-cancelled", "Cancelled", Instant.parse("2026-10-01T09:00:00Z"));
    static final ExportJob DONE = job("done", "Successful", T0.minus(Duration.ofDays(1)));

    static ExportJob job(String id, String state, Instant finishedAt) {
        Instant created = finishedAt == null ? T0.minus(Duration.ofMinutes(30)) : finishedAt.minus(Duration.ofHours(1));
        return new ExportJob(id, "snap-" + id, "bucket-1", created, finishedAt, "exports/" + id, state,
                null, null, new ExportJob.ExportStatus(1, 3), null, null);
    }

    /** One cluster polled once a minute: differ, then rules, as the monitor chains them. */
    static final class Cluster {
        ClusterSnapshot snapshot = ClusterSnapshot.empty(CLUSTER);
        AlertState rules = AlertState.empty();
        Instant now = T0;
        final List<AlertNotice> notices = new ArrayList<>();

        /** The notices of this poll. */
        List<String> poll(ExportJob... listed) {
            return pollAt(now.plus(Duration.ofMinutes(1)), listed);
        }

        List<String> pollAt(Instant at, ExportJob... listed) {
            now = at;
            DiffResult diff = ExportJobDiffer.diff(snapshot, List.of(listed), now, STUCK, HISTORY_WINDOW);
            snapshot = diff.snapshot();
            Observation observation = new Observation(CLUSTER, now, Duration.ofMillis(90), null, snapshot, diff.events());
            RuleResult result = AlertRules.evaluate(rules, observation, now, ALERTS, STUCK);
            rules = result.next();
            notices.addAll(result.notices());
            return result.notices().stream().map(n -> n.alertname() + " " + n.status().wire() + " " + n.labels().get("job_id"))
                    .toList();
        }
    }

    @Test
    void historyAtTheFirstPollNeverFiresAfterMissingFromOneList() {
        Cluster cluster = new Cluster();
        assertEquals(List.of(), cluster.poll(OLD_FAILURE, OLD_CANCELLED, DONE), "baseline");
        assertEquals(List.of(), cluster.poll(DONE), "both missing from one list");
        assertEquals(List.of(), cluster.poll(OLD_FAILURE, OLD_CANCELLED, DONE), "back: still history");
        assertEquals(List.of(), cluster.poll(OLD_FAILURE, OLD_CANCELLED, DONE));
    }

    @Test
    void historyTheFirstListMissedNeverFires() {
        Cluster cluster = new Cluster();
        assertEquals(List.of(), cluster.poll(DONE), "the first list lacks the old jobs (a shifted page)");
        assertEquals(List.of(), cluster.poll(OLD_FAILURE, OLD_CANCELLED, DONE), "new to the differ, history all the same");
    }

    @Test
    void aFailureAlertedOnceIsNotAlertedAgainAfterTheJobMissedOneList() {
        Cluster cluster = new Cluster();
        ExportJob running = job("j1", "InProgress", null);
        ExportJob failed = job("j1", "Failed", T0.plus(Duration.ofMinutes(2)));
        cluster.poll(running, DONE);
        assertEquals(List.of("AtlasExportJobFailed firing j1"), cluster.poll(failed, DONE));
        assertEquals(List.of(), cluster.poll(DONE), "missing from one list");
        assertEquals(List.of(), cluster.poll(failed, DONE), "back: alerted already");
        assertEquals(List.of(), cluster.poll(), "an empty list");
        assertEquals(List.of(), cluster.poll(failed, DONE), "back again");
        assertEquals(1, cluster.notices.size());
    }

    @Test
    void aJobFailedWhileMissingFromTheListAlertsOnceWhenBack() {
        Cluster cluster = new Cluster();
        ExportJob running = job("j1", "InProgress", null);
        cluster.poll(running, DONE);
        cluster.poll(DONE);
        assertEquals(List.of("AtlasExportJobFailed firing j1"), cluster.poll(job("j1", "Failed", T0.plus(Duration.ofMinutes(2))), DONE));
    }

    @Test
    void aStuckJobMissingFromOneListStaysOneFiringAlert() {
        Cluster cluster = new Cluster();
        ExportJob queued = new ExportJob("q1", "snap-q1", "bucket-1", T0.minus(Duration.ofHours(3)), null, "exports/q1",
                "Queued", null, null, null, null, null);
        assertEquals(List.of("AtlasExportJobStuck firing q1"), cluster.poll(queued, DONE));
        assertEquals(List.of(), cluster.poll(DONE), "missing from one list: neither resolved");
        assertEquals(List.of(), cluster.poll(queued, DONE), "nor fired again when back");
        assertEquals(1, cluster.rules.activeAlerts().size());
    }

    @Test
    void aDepartedJobIsForgottenAfterTheHistoryWindowAndItsMarkWithIt() {
        Cluster cluster = new Cluster();
        ExportJob failed = job("j1", "Failed", T0.plus(Duration.ofMinutes(2)));
        cluster.poll(job("j1", "InProgress", null), DONE);
        cluster.poll(failed, DONE);
        cluster.poll(DONE);
        assertTrue(cluster.snapshot.departed().containsKey("j1"));
        assertEquals(1, cluster.rules.fired().size());

        cluster.pollAt(cluster.now.plus(HISTORY_WINDOW).minusSeconds(1), DONE);
        assertTrue(cluster.snapshot.departed().containsKey("j1"), "kept for the whole history window");
        assertEquals(1, cluster.rules.fired().size());

        cluster.pollAt(cluster.now.plusSeconds(2), DONE);
        assertEquals(List.of(), List.copyOf(cluster.snapshot.departed().keySet()));
        assertEquals(0, cluster.rules.fired().size());
    }
}
