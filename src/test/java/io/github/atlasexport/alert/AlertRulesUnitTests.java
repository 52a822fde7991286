package io.github.atlasexport.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.monitor.JobEvent;
import io.github.atlasexport.monitor.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.stream.Stream;

import static io.github.atlasexport.alert.AlertFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertRulesUnitTests {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    static final Instant T1 = T0.plus(Duration.ofMinutes(1));

    static RuleResult evaluate(AlertState state, Observation observation, MonitorConfig.Alerts config) {
        return AlertRules.evaluate(state, observation, observation.at(), config, STUCK);
    }

    /** "alertname status [state]" per notice, to compare against a table row. */
    static List<String> summary(RuleResult result) {
        return result.notices().stream()
                .map(n -> n.alertname() + " " + n.status().wire()
                        + (n.labels().containsKey("state") ? " " + n.labels().get("state") : ""))
                .toList();
    }

    static Stream<Arguments> jobEvents() {
        ExportJob failed = failedJob("j1");
        ExportJob cancelled = job("j1", "Cancelled");
        ExportJob inProgress = job("j1", "InProgress");
        ExportJob queued = job("j1", "Queued");
        ExportJob odd = job("j1", "Exploded");
        Duration long7h = Duration.ofHours(7);
        MonitorConfig.Alerts quiet = alerts(false, false, Duration.ZERO, Duration.ofMinutes(10));
        return Stream.of(
                Arguments.of("InProgress -> Failed", ALERTS, changed(failed, "InProgress", T0), failed,
                        List.of("AtlasExportJobFailed firing")),
                Arguments.of("InProgress -> Cancelled", ALERTS, changed(cancelled, "InProgress", T0), cancelled,
                        List.of("AtlasExportJobCancelled firing")),
                Arguments.of("Queued -> InProgress", ALERTS, changed(inProgress, "Queued", T0), inProgress, List.of()),
                Arguments.of("InProgress -> Successful", ALERTS,
                        changed(successful("j1", T0), "InProgress", T0), successful("j1", T0), List.of()),
                Arguments.of("new job already Failed", ALERTS, seen(failed, false, T0), failed,
                        List.of("AtlasExportJobFailed firing")),
                Arguments.of("new job already Cancelled", ALERTS, seen(cancelled, false, T0), cancelled,
                        List.of("AtlasExportJobCancelled firing")),
                Arguments.of("baseline Failed job", ALERTS, seen(failed, true, T0), failed, List.of()),
                Arguments.of("baseline Cancelled job", ALERTS, seen(cancelled, true, T0), cancelled, List.of()),
                Arguments.of("into unknown state", ALERTS, changed(odd, "InProgress", T0), odd, List.of()),
                Arguments.of("new job in unknown state", ALERTS, seen(odd, false, T0), odd, List.of()),
                Arguments.of("stuck InProgress", ALERTS, stuck(inProgress, long7h, T0), inProgress,
                        List.of("AtlasExportJobStuck firing InProgress")),
                Arguments.of("stuck Queued", ALERTS, stuck(queued, long7h, T0), queued,
                        List.of("AtlasExportJobStuck firing Queued")),
                Arguments.of("stuck in unknown state", ALERTS, stuck(odd, long7h, T0), odd, List.of()),
                Arguments.of("progress", ALERTS, new JobEvent.ProgressChanged(CLUSTER, tracked(inProgress),
                        new ExportJob.ExportStatus(1, 10), T0), inProgress, List.of()),
                Arguments.of("job left without alert", ALERTS, left(inProgress, T0), null, List.of()),
                Arguments.of("Failed with failed alerts off", quiet, changed(failed, "InProgress", T0), failed,
                        List.of()),
                Arguments.of("Cancelled with cancelled alerts off", quiet, changed(cancelled, "Queued", T0), cancelled,
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobEvents")
    void jobEventsRaiseTheDocumentedAlertsOnly(String name, MonitorConfig.Alerts config, JobEvent event,
                                               ExportJob inSnapshot, List<String> expected) {
        Observation observation = inSnapshot == null ? ok(T0, List.of(event)) : ok(T0, List.of(event), inSnapshot);
        assertEquals(expected, summary(evaluate(watchedSince(T0.minus(Duration.ofDays(1))), observation, config)));
    }

    /** Ids of one cluster often share a long prefix (Atlas ids start with a timestamp). */
    @Test
    void twoJobsNeverReadAlikeAndTheProjectIsNamedWhenKnown() {
        ExportJob first = failedJob("6a3f1b2c3d4e5f6a7b8c9d01");
        ExportJob second = failedJob("6a3f1b2c3d4e5f6a7b8c9d02");
        Observation observation = ok(T0, List.of(changed(first, "InProgress", T0), changed(second, "InProgress", T0)),
                first, second);

        List<AlertNotice> notices = AlertRules.evaluate(AlertState.empty(), observation, T0, ALERTS, STUCK, "Shop")
                .notices();

        assertEquals(List.of("Export job 6a3f1b2c3d4e5f6a7b8c9d01 of Cluster0 in project Shop (" + GROUP + ") failed",
                        "Export job 6a3f1b2c3d4e5f6a7b8c9d02 of Cluster0 in project Shop (" + GROUP + ") failed"),
                notices.stream().map(n -> n.annotations().get("summary")).toList());
        assertTrue(notices.get(0).annotations().get("description")
                .startsWith("Cluster: Cluster0, project Shop (" + GROUP + ")\nJob: 6a3f1b2c3d4e5f6a7b8c9d01\n"),
                notices.get(0).annotations().get("description"));
    }

    @Test
    void noticeIdAndStartsAtComeFromAtlasDataNotTheClock() {
        ExportJob job = failedJob("6a3f1b2c3d4e5f6a7b8c9d01");
        // The same change seen by two runs at different times (a crash before the first one's save).
        AlertNotice first = AlertRules.evaluate(AlertState.empty(), ok(T0, List.of(changed(job, "InProgress", T0)), job),
                T0, ALERTS, STUCK).notices().get(0);
        Instant later = T0.plus(Duration.ofMinutes(7));
        AlertNotice again = AlertRules.evaluate(AlertState.empty(),
                ok(later, List.of(changed(job, "InProgress", later)), job), later, ALERTS, STUCK).notices().get(0);
        assertEquals(job.finishedAt(), first.startsAt());
        assertEquals(first, again, "same id, same startsAt, same body");

        ExportJob queued = job("q1", "Queued");
        AlertNotice stuckFirst = AlertRules.evaluate(AlertState.empty(),
                ok(T0, List.of(stuck(queued, Duration.ofHours(2), T0)), queued), T0, ALERTS, STUCK).notices().get(0);
        AlertNotice stuckAgain = AlertRules.evaluate(AlertState.empty(),
                ok(later, List.of(stuck(queued, Duration.ofHours(2), later)), queued), later, ALERTS, STUCK)
                .notices().get(0);
        assertEquals(tracked(queued).stuckClockStart().plus(STUCK.queuedAfter()), stuckFirst.startsAt());
        assertEquals(stuckFirst.id(), stuckAgain.id());

        MonitorConfig.Alerts down = alerts(true, true, Duration.ZERO, Duration.ofMinutes(10));
        AlertState failing = AlertRules.evaluate(AlertState.empty(), failed(T0), T0, down, STUCK).next();
        AlertNotice downFirst = AlertRules.evaluate(failing, failed(T0.plus(Duration.ofMinutes(11))),
                T0.plus(Duration.ofMinutes(11)), down, STUCK).notices().get(0);
        AlertNotice downAgain = AlertRules.evaluate(failing, failed(T0.plus(Duration.ofMinutes(13))),
                T0.plus(Duration.ofMinutes(13)), down, STUCK).notices().get(0);
        assertEquals(T0.plus(Duration.ofMinutes(10)), downFirst.startsAt(), "failing since + targetDown.after");
        assertEquals(downFirst.id(), downAgain.id());
    }

    @Test
    void aFailedJobWithoutFinishedAtStartsAtItsCreatedAtSoTwoReplicasSendTheSameNotice() {
        ExportJob job = new ExportJob("6a3f1b2c3d4e5f6a7b8c9d02", "snap-1", "bucket-1", T0.minus(Duration.ofHours(3)),
                null, "exports/1", "Failed", null, null, null, null, null);
        // Two replicas poll at their own times: each sees the change at another instant.
        AlertNotice one = AlertRules.evaluate(AlertState.empty(), ok(T0, List.of(changed(job, "InProgress", T0)), job),
                T0, ALERTS, STUCK).notices().get(0);
        Instant later = T0.plusMillis(4_321);
        AlertNotice other = AlertRules.evaluate(AlertState.empty(),
                ok(later, List.of(changed(job, "InProgress", later)), job), later, ALERTS, STUCK).notices().get(0);

        assertEquals(job.createdAt(), one.startsAt());
        assertEquals(one, other, "same id, same startsAt, same body");
    }

    @Test
    void jobAlertCarriesLabelsAnnotationsAndTheJob() {
        ExportJob job = failedJob("6a3f1b2c3d4e5f6a7b8c9d01");
        AlertNotice notice = evaluate(AlertState.empty(), ok(T0, List.of(changed(job, "InProgress", T0)), job), ALERTS)
                .notices().get(0);
        assertEquals(Map.of("alertname", "AtlasExportJobFailed", "severity", "critical", "group_id", GROUP,
                "cluster_name", "Cluster0", "job_id", job.id()), notice.labels());
        assertEquals("Export job 6a3f1b2c3d4e5f6a7b8c9d01 of Cluster0 in project " + GROUP + " failed",
                notice.annotations().get("summary"));
        String description = notice.annotations().get("description");
        for (String expected : List.of("Cluster0", GROUP, job.id(), "snap-" + job.id(), "bucket-1",
                "exports/" + job.id(), "State: Failed (was InProgress)", "Ran for 2h 13m",
                "Atlas error: EXPORT_FAILED: Access denied to bucket", "Progress: 3 of 10 collections exported")) {
            assertTrue(description.contains(expected), () -> "description lacks '" + expected + "':\n" + description);
        }
        assertEquals(AlertNotice.Status.FIRING, notice.status());
        assertEquals(job.finishedAt(), notice.startsAt(), "from Atlas's finishedAt, not the poll's clock");
        assertNull(notice.endsAt());
        assertEquals(job, notice.job());
        assertEquals("InProgress", notice.previousState());
        assertTrue(notice.oneShot());
    }

    @Test
    void descriptionShowsTheV1ErrorAndShardsOfAShardedJob() {
        ExportJob job = new ExportJob("j9", "s", "b", T0, T0.plusSeconds(42), "p", "Failed", null, "disk full",
                null, List.of(new ExportJob.Component("e1", "rs0"), new ExportJob.Component("e2", "rs1")), null);
        String description = evaluate(watchedSince(T0), ok(T1, List.of(seen(job, false, T1)), job), ALERTS)
                .notices().get(0).annotations().get("description");
        assertTrue(description.contains("Atlas error: disk full"), description);
        assertTrue(description.contains("Progress: 2 shards (rs0, rs1)"), description);
        assertTrue(description.contains("Ran for 42s"), description);
    }

    @Test
    void aJobAlertFiresOnceEvenWhenItsEventComesAgain() {
        ExportJob job = failedJob("j1");
        RuleResult first = evaluate(AlertState.empty(), ok(T0, List.of(changed(job, "InProgress", T0)), job), ALERTS);
        // e.g. the job left the list and came back
        RuleResult again = evaluate(first.next(), ok(T1, List.of(seen(job, false, T1)), job), ALERTS);
        assertEquals(1, first.notices().size());
        assertEquals(List.of(), again.notices());
    }

    @Test
    void aJobMarkLastsWhileTheJobIsRememberedAndGoesWhenItIsForgotten() {
        ExportJob job = failedJob("j1");
        RuleResult fired = evaluate(AlertState.empty(), ok(T0, List.of(changed(job, "InProgress", T0)), job), ALERTS);
        assertEquals(1, fired.next().fired().size());
        RuleResult left = evaluate(fired.next(), departed(T1, List.of(left(job, T1)), job), ALERTS);
        assertEquals(fired.next().fired(), left.next().fired(), "missing from one list, the job may come back");
        RuleResult forgotten = evaluate(left.next(), ok(T1.plus(Duration.ofDays(8)), List.of()), ALERTS);
        assertEquals(Set.of(), forgotten.next().fired(), "the once-only mark goes with the job");
        assertEquals(List.of(), forgotten.notices());
    }

    @Test
    void aJobAlertIsNotRepeatedAfterARestartWithTheStateRestored() throws Exception {
        ExportJob job = failedJob("j1");
        RuleResult first = evaluate(AlertState.empty(), ok(T0, List.of(changed(job, "InProgress", T0)), job), ALERTS);
        AlertState restored = JSON.readValue(JSON.writeValueAsString(first.next()), AlertState.class);
        assertEquals(first.next(), restored);
        assertEquals(List.of(), evaluate(restored, ok(T1, List.of(seen(job, false, T1)), job), ALERTS).notices());
    }

    @Test
    void stuckAlertResolvesWhenTheJobMovesOn() {
        ExportJob running = job("j1", "InProgress");
        RuleResult fired = evaluate(AlertState.empty(), ok(T0, List.of(stuck(running, Duration.ofHours(7), T0)), running),
                ALERTS);
        AlertNotice firing = fired.notices().get(0);
        assertEquals("Export job j1 of Cluster0 in project " + GROUP + " stuck in InProgress for 7h",
                firing.annotations().get("summary"));
        assertTrue(firing.annotations().get("description").contains("In InProgress for 7h (threshold 6h)"));
        assertEquals(1, fired.next().activeAlerts().size());

        RuleResult still = evaluate(fired.next(), ok(T1, List.of(stuck(running, Duration.ofHours(8), T1)), running),
                ALERTS);
        assertEquals(List.of(), still.notices(), "neither fired again nor resolved while still stuck");

        ExportJob done = successful("j1", T1);
        RuleResult resolved = evaluate(still.next(), ok(T1, List.of(changed(done, "InProgress", T1)), done), ALERTS);
        assertEquals(List.of("AtlasExportJobStuck resolved InProgress"), summary(resolved));
        AlertNotice notice = resolved.notices().get(0);
        assertEquals(firing.key(), notice.key());
        assertNotEquals(firing.id(), notice.id());
        assertEquals(firing.startsAt(), notice.startsAt());
        assertEquals(T1, notice.endsAt());
        assertEquals(done, notice.job());
        assertEquals(List.of(), resolved.next().activeAlerts());
    }

    @Test
    void stuckAlertLastsWhileTheJobIsRememberedAndResolvesWhenItIsForgotten() {
        ExportJob running = job("j1", "Queued");
        AlertState firing = evaluate(AlertState.empty(), ok(T0, List.of(stuck(running, Duration.ofHours(2), T0)), running),
                ALERTS).next();
        RuleResult missing = evaluate(firing, departed(T1, List.of(left(running, T1)), running), ALERTS);
        assertEquals(List.of(), missing.notices(), "a job missing from one list may be back in the next");
        RuleResult forgotten = evaluate(missing.next(), ok(T1.plus(Duration.ofDays(8)), List.of()), ALERTS);
        assertEquals(List.of("AtlasExportJobStuck resolved Queued"), summary(forgotten));
    }

    @Test
    void aNewlySeenJobThatFinishedBeforeTheClusterWasFirstWatchedIsHistory() {
        ExportJob failed = failedJob("j1"); // finished at T0 - 47m
        assertEquals(List.of(), evaluate(watchedSince(T0), ok(T1, List.of(seen(failed, false, T1)), failed),
                ALERTS).notices());
        assertEquals(List.of("AtlasExportJobFailed firing"), summary(evaluate(watchedSince(T0.minus(Duration.ofHours(1))),
                ok(T1, List.of(seen(failed, false, T1)), failed), ALERTS)));
    }

    @Test
    void restoredStuckAlertResolvesWhenTheJobChangedWhileTheMonitorWasDown() throws Exception {
        ExportJob running = job("j1", "InProgress");
        AlertState firing = evaluate(AlertState.empty(), ok(T0, List.of(stuck(running, Duration.ofHours(7), T0)), running),
                ALERTS).next();
        AlertState restored = JSON.readValue(JSON.writeValueAsString(firing), AlertState.class);
        ExportJob done = successful("j1", T1);
        // whatever events the differ sends, the snapshot says the job is no longer InProgress
        assertEquals(List.of("AtlasExportJobStuck resolved InProgress"),
                summary(evaluate(restored, ok(T1, List.of(), done), ALERTS)));
    }

    @Test
    void stuckInQueuedThenInProgressAreTwoAlerts() {
        ExportJob queued = job("j1", "Queued");
        ExportJob running = job("j1", "InProgress");
        AlertState state = evaluate(AlertState.empty(), ok(T0, List.of(stuck(queued, Duration.ofHours(2), T0)), queued),
                ALERTS).next();
        RuleResult moved = evaluate(state, ok(T1, List.of(changed(running, "Queued", T1)), running), ALERTS);
        assertEquals(List.of("AtlasExportJobStuck resolved Queued"), summary(moved));
        Instant later = T1.plus(Duration.ofHours(7));
        RuleResult stuckAgain = evaluate(moved.next(),
                ok(later, List.of(stuck(running, Duration.ofHours(7), later)), running), ALERTS);
        assertEquals(List.of("AtlasExportJobStuck firing InProgress"), summary(stuckAgain));
    }

    @Test
    void failedPollChangesNoJobAlert() {
        ExportJob running = job("j1", "InProgress");
        AlertState firing = evaluate(AlertState.empty(), ok(T0, List.of(stuck(running, Duration.ofHours(7), T0)), running),
                ALERTS).next();
        assertEquals(List.of(), evaluate(firing, failed(T1), ALERTS).notices());
    }

    @Test
    void targetDownFiresAfterTheThresholdOfContinuousFailuresAndResolvesOnSuccess() {
        AlertState state = AlertState.empty();
        for (int minute : new int[]{0, 5, 9}) {
            RuleResult result = evaluate(state, failed(T0.plus(Duration.ofMinutes(minute))), ALERTS);
            assertEquals(List.of(), result.notices(), "minute " + minute);
            state = result.next();
        }
        RuleResult down = evaluate(state, failed(T0.plus(Duration.ofMinutes(10))), ALERTS);
        assertEquals(List.of("AtlasExportTargetDown firing"), summary(down));
        AlertNotice notice = down.notices().get(0);
        assertEquals(Map.of("alertname", "AtlasExportTargetDown", "severity", "warning", "group_id", GROUP,
                "cluster_name", "Cluster0"), notice.labels());
        assertEquals("Polling export jobs of Cluster0 in project " + GROUP + " failing for 10m", notice.annotations().get("summary"));
        assertTrue(notice.annotations().get("description").contains("Last error: Connection refused"));
        assertNull(notice.job());

        RuleResult stillDown = evaluate(down.next(), failed(T0.plus(Duration.ofMinutes(11))), ALERTS);
        assertEquals(List.of(), stillDown.notices());
        RuleResult up = evaluate(stillDown.next(), ok(T0.plus(Duration.ofMinutes(12)), List.of()), ALERTS);
        assertEquals(List.of("AtlasExportTargetDown resolved"), summary(up));

        // the failure clock starts over
        RuleResult again = evaluate(up.next(), failed(T0.plus(Duration.ofMinutes(13))), ALERTS);
        assertEquals(List.of(), evaluate(again.next(), failed(T0.plus(Duration.ofMinutes(22))), ALERTS).notices());
    }

    @Test
    void targetDownIsOffWithAZeroThreshold() {
        MonitorConfig.Alerts off = alerts(true, true, Duration.ZERO, Duration.ZERO);
        AlertState state = evaluate(AlertState.empty(), failed(T0), off).next();
        assertEquals(List.of(), evaluate(state, failed(T0.plus(Duration.ofDays(1))), off).notices());
    }

    @Test
    void noRecentSuccessIsOffByDefault() {
        ExportJob old = successful("j1", T0.minus(Duration.ofDays(30)));
        assertEquals(List.of(), evaluate(AlertState.empty(), ok(T0, List.of(), old), ALERTS).notices());
    }

    @Test
    void noRecentSuccessFiresOnAnOldSuccessAndResolvesOnANewOne() {
        MonitorConfig.Alerts daily = alerts(true, true, Duration.ofDays(1), Duration.ofMinutes(10));
        ExportJob old = successful("j1", T0.minus(Duration.ofDays(2)));
        assertEquals(List.of(), evaluate(AlertState.empty(),
                ok(T0, List.of(), successful("j0", T0.minus(Duration.ofHours(1)))), daily).notices());

        RuleResult overdue = evaluate(AlertState.empty(), ok(T0, List.of(), old), daily);
        assertEquals(List.of("AtlasExportNoRecentSuccess firing"), summary(overdue));
        assertEquals("No successful export of Cluster0 in project " + GROUP + " in 1d",
                overdue.notices().get(0).annotations().get("summary"));
        assertTrue(overdue.notices().get(0).annotations().get("description").contains("(2d ago)"));
        assertEquals(List.of(), evaluate(overdue.next(), ok(T1, List.of(), old), daily).notices());

        ExportJob fresh = successful("j2", T1);
        RuleResult recovered = evaluate(overdue.next(), ok(T1, List.of(), old, fresh), daily);
        assertEquals(List.of("AtlasExportNoRecentSuccess resolved"), summary(recovered));
    }

    @Test
    void noRecentSuccessWithoutAnySuccessCountsFromTheFirstPollOrTheOldestJob() {
        MonitorConfig.Alerts daily = alerts(true, true, Duration.ofDays(1), Duration.ofMinutes(10));
        AlertState state = evaluate(AlertState.empty(), ok(T0, List.of()), daily).next();
        assertEquals(List.of(), evaluate(state, ok(T0.plus(Duration.ofHours(23)), List.of()), daily).notices());
        assertEquals(List.of("AtlasExportNoRecentSuccess firing"),
                summary(evaluate(state, ok(T0.plus(Duration.ofDays(1)), List.of()), daily)));

        ExportJob oldFailure = new ExportJob("j1", "s", "b", T0.minus(Duration.ofDays(3)), null, "p", "Failed",
                null, null, null, null, null);
        assertEquals(List.of("AtlasExportNoRecentSuccess firing"),
                summary(evaluate(AlertState.empty(), ok(T0, List.of(), oldFailure), daily)));
    }

    @Test
    void forgettingAClusterResolvesItsAlertsOnly() {
        AlertState state = evaluate(AlertState.empty(), failed(T0), ALERTS).next();
        state = evaluate(state, failed(T0.plus(Duration.ofMinutes(10))), ALERTS).next();
        ExportJob running = job("j2", "InProgress");
        state = AlertRules.evaluate(state, ok(OTHER, T0, List.of(new JobEvent.StuckDetected(OTHER, tracked(running),
                Duration.ofHours(7), T0)), running), T0, ALERTS, STUCK).next();
        assertEquals(2, state.activeAlerts().size());

        RuleResult forgotten = AlertRules.forgetCluster(state, CLUSTER, T1);
        assertEquals(List.of("AtlasExportTargetDown resolved"), summary(forgotten));
        assertEquals(List.of("AtlasExportJobStuck"),
                forgotten.next().activeAlerts().stream().map(ActiveAlert::alertname).toList());
    }

    @Test
    void noticeIdsAreStablePerAlertAndStatus() {
        AlertNotice a = failedNotice();
        AlertNotice b = failedNotice();
        assertEquals(a.id(), b.id());
        assertEquals(32, a.id().length());
        assertNotEquals(a.id(), AlertNotice.idFor(a.key(), AlertNotice.Status.RESOLVED, a.startsAt()));
        assertNotEquals(a.id(), AlertNotice.idFor(a.key(), AlertNotice.Status.FIRING, a.startsAt().plusSeconds(1)));
    }

    @Test
    void humanDurations() {
        assertEquals("42s", AlertText.human(Duration.ofSeconds(42)));
        assertEquals("12m 5s", AlertText.human(Duration.ofSeconds(725)));
        assertEquals("6h", AlertText.human(Duration.ofHours(6)));
        assertEquals("2d 3h", AlertText.human(Duration.ofHours(51).plusMinutes(10)));
        assertEquals("250ms", AlertText.human(Duration.ofMillis(250)));
        assertEquals("0s", AlertText.human(Duration.ofSeconds(-5)));
    }
}
