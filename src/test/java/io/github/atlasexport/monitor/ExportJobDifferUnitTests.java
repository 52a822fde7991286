package io.github.atlasexport.monitor;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportJob.ExportStatus;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.monitor.JobEvent.JobLeft;
import io.github.atlasexport.monitor.JobEvent.JobSeen;
import io.github.atlasexport.monitor.JobEvent.ProgressChanged;
import io.github.atlasexport.monitor.JobEvent.StateChanged;
import io.github.atlasexport.monitor.JobEvent.StuckDetected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Stream;

import static io.github.atlasexport.atlas.ExportState.CANCELLED;
import static io.github.atlasexport.atlas.ExportState.FAILED;
import static io.github.atlasexport.atlas.ExportState.IN_PROGRESS;
import static io.github.atlasexport.atlas.ExportState.QUEUED;
import static io.github.atlasexport.atlas.ExportState.SUCCESSFUL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportJobDifferUnitTests {

    private static final ClusterKey CLUSTER = new ClusterKey("5f0a1b2c3d4e5f6a7b8c9d0e", "Cluster0");
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final Instant CREATED = T0.minus(Duration.ofMinutes(5));
    private static final MonitorConfig.Stuck THRESHOLDS =
            new MonitorConfig.Stuck(Duration.ofHours(6), Duration.ofHours(1), "warning");
    private static final String PAUSED = "Paused";
    private static final Duration MEMORY = Duration.ofDays(7);

    // ---- fixtures ----

    private static ExportJob job(String id, String state) {
        return job(id, state, null);
    }

    private static ExportJob job(String id, String state, ExportStatus status) {
        return new ExportJob(id, "snap-" + id, "bucket-1", CREATED, null, "exports/" + id, state,
                null, null, status, null, null);
    }

    private static ExportJob createdAt(ExportJob job, Instant createdAt) {
        return new ExportJob(job.id(), job.snapshotId(), job.exportBucketId(), createdAt, job.finishedAt(),
                job.prefix(), job.state(), job.stateReason(), job.errMsg(), job.exportStatus(),
                job.components(), job.customData());
    }

    private static DiffResult diff(ClusterSnapshot previous, Instant now, ExportJob... jobs) {
        return ExportJobDiffer.diff(previous, Arrays.asList(jobs), now, THRESHOLDS, MEMORY);
    }

    /** A snapshot as after a first poll at T0 listing these jobs. */
    private static ClusterSnapshot polled(ExportJob... jobs) {
        return diff(ClusterSnapshot.empty(CLUSTER), T0, jobs).snapshot();
    }

    private static <E extends JobEvent> E only(DiffResult result, Class<E> type) {
        assertEquals(1, result.events().size(), () -> "events: " + result.events());
        return assertInstanceOf(type, result.events().get(0));
    }

    private static List<String> statesWithUnknown() {
        List<String> states = new ArrayList<>(ExportState.DOCUMENTED);
        states.add(PAUSED);
        return states;
    }

    // ---- state transitions ----

    static Stream<Arguments> statePairs() {
        List<String> states = statesWithUnknown();
        return states.stream().flatMap(from -> states.stream()
                .filter(to -> !to.equals(from))
                .map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("statePairs")
    void everyStateChangeEmitsOneStateChangedAndRestartsTheClocks(String from, String to) {
        ClusterSnapshot previous = polled(job("a", from));
        Instant now = T0.plus(Duration.ofMinutes(1));

        DiffResult result = diff(previous, now, job("a", to));

        StateChanged changed = only(result, StateChanged.class);
        assertEquals(from, changed.previousState());
        assertEquals(to, changed.job().state());
        assertEquals(CLUSTER, changed.cluster());
        assertEquals(now, changed.at());
        TrackedJob tracked = result.snapshot().jobs().get("a");
        assertEquals(changed.job(), tracked);
        assertEquals(T0, tracked.firstSeen());
        assertEquals(now, tracked.stateSince());
        assertEquals(now, tracked.stuckClockStart());
        assertFalse(tracked.stuck());
        assertEquals(now, result.snapshot().observedAt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statesWithUnknown")
    void sameStateSameBodyEmitsNothingAndKeepsTheTrackedJob(String state) {
        ClusterSnapshot previous = polled(job("a", state));
        Instant now = T0.plus(Duration.ofSeconds(30));

        DiffResult result = diff(previous, now, job("a", state));

        assertEquals(List.of(), result.events());
        assertEquals(previous.jobs(), result.snapshot().jobs());
        assertEquals(now, result.snapshot().observedAt());
    }

    static Stream<Arguments> firstSightings() {
        return statesWithUnknown().stream().flatMap(state -> Stream.of(
                Arguments.of(state, true), Arguments.of(state, false)));
    }

    @ParameterizedTest(name = "{0}, baseline={1}")
    @MethodSource("firstSightings")
    void aNewJobIsSeenAsBaselineOnlyOnTheFirstPoll(String state, boolean neverPolled) {
        Instant now = T0.plusSeconds(60);
        DiffResult result = neverPolled
                ? diff(ClusterSnapshot.empty(CLUSTER), now, job("a", state))
                : diff(polled(job("other", SUCCESSFUL)), now, job("other", SUCCESSFUL), job("a", state));

        JobSeen seen = only(result, JobSeen.class);
        assertEquals(neverPolled, seen.baseline());
        assertEquals(state, seen.job().state());
        TrackedJob tracked = result.snapshot().jobs().get("a");
        assertEquals(now, tracked.firstSeen());
        assertEquals(now, tracked.stateSince());
        // A job still waiting may have waited since createdAt; an ended one's clock is when it was seen.
        assertEquals(ExportState.isTerminal(state) ? now : CREATED, tracked.stuckClockStart());
        assertFalse(tracked.stuck());
    }

    @Test
    void theFirstSuccessfulPollIsKeptAsTheBaselineTime() {
        DiffResult first = diff(ClusterSnapshot.empty(CLUSTER), T0, job("a", SUCCESSFUL));
        DiffResult later = diff(first.snapshot(), T0.plusSeconds(60), job("a", SUCCESSFUL), job("b", FAILED));

        assertEquals(T0, first.snapshot().firstPolledAt());
        assertEquals(T0, later.snapshot().firstPolledAt());
        assertEquals(T0.plusSeconds(60), later.snapshot().observedAt());
    }

    @Test
    void theFirstPollOfAnEmptyClusterMarksItPolled() {
        DiffResult result = diff(ClusterSnapshot.empty(CLUSTER), T0);

        assertEquals(List.of(), result.events());
        assertFalse(result.snapshot().neverPolled());
        assertEquals(CLUSTER, result.snapshot().key());
    }

    // ---- progress ----

    static Stream<Arguments> progressCases() {
        return Stream.of(
                Arguments.of(null, new ExportStatus(0, 10), true),
                Arguments.of(new ExportStatus(0, 10), new ExportStatus(3, 10), true),
                Arguments.of(new ExportStatus(3, 10), new ExportStatus(3, 12), true),
                Arguments.of(new ExportStatus(3, 10), null, true),
                Arguments.of(new ExportStatus(3, 10), new ExportStatus(3, 10), false),
                Arguments.of(null, null, false));
    }

    @ParameterizedTest(name = "{0} -> {1}: event={2}")
    @MethodSource("progressCases")
    void progressInTheSameStateEmitsProgressChangedWithThePreviousStatus(
            ExportStatus before, ExportStatus after, boolean expectEvent) {
        ClusterSnapshot previous = polled(job("a", IN_PROGRESS, before));
        Instant now = T0.plusSeconds(15);

        DiffResult result = diff(previous, now, job("a", IN_PROGRESS, after));

        if (expectEvent) {
            ProgressChanged progress = only(result, ProgressChanged.class);
            assertEquals(before, progress.previous());
            assertEquals(after, progress.job().job().exportStatus());
        } else {
            assertEquals(List.of(), result.events());
        }
        TrackedJob tracked = result.snapshot().jobs().get("a");
        assertEquals(after, tracked.job().exportStatus());
        assertEquals(T0, tracked.stateSince());
    }

    @Test
    void aStateChangeWithNewProgressIsOnlyAStateChange() {
        ClusterSnapshot previous = polled(job("a", IN_PROGRESS, new ExportStatus(5, 10)));

        DiffResult result = diff(previous, T0.plusSeconds(15), job("a", SUCCESSFUL, new ExportStatus(10, 10)));

        StateChanged changed = only(result, StateChanged.class);
        assertEquals(new ExportStatus(10, 10), changed.job().job().exportStatus());
    }

    @Test
    void anUnchangedJobCarriesItsLatestBody() {
        ClusterSnapshot previous = polled(job("a", FAILED));
        ExportJob finished = new ExportJob("a", "snap-a", "bucket-1", CREATED, T0.plusSeconds(5), "exports/a",
                FAILED, new ExportJob.StateReason("E1", "boom"), null, null, null, null);

        DiffResult result = diff(previous, T0.plusSeconds(15), finished);

        assertEquals(List.of(), result.events());
        TrackedJob tracked = result.snapshot().jobs().get("a");
        assertEquals(finished, tracked.job());
        assertEquals(previous.jobs().get("a").firstSeen(), tracked.firstSeen());
        assertEquals(previous.jobs().get("a").stateSince(), tracked.stateSince());
    }

    @Test
    void anIdenticalBodyKeepsTheTrackedJobTheMonitorAlreadyHolds() {
        ClusterSnapshot previous = polled(job("a", IN_PROGRESS, new ExportStatus(3, 10)), job("b", QUEUED));

        DiffResult result = diff(previous, T0.plusSeconds(15),
                job("a", IN_PROGRESS, new ExportStatus(3, 10)), job("b", QUEUED, new ExportStatus(0, 4)));

        assertSame(previous.jobs().get("a"), result.snapshot().jobs().get("a"));
        assertNotSame(previous.jobs().get("b"), result.snapshot().jobs().get("b"));
        assertEquals(T0.plusSeconds(15), result.snapshot().observedAt());
    }

    // ---- stuck ----

    static Stream<Arguments> stuckCases() {
        Duration inProgress = THRESHOLDS.inProgressAfter();
        Duration queued = THRESHOLDS.queuedAfter();
        return Stream.of(
                Arguments.of(IN_PROGRESS, inProgress.minusSeconds(1), false),
                Arguments.of(IN_PROGRESS, inProgress, true),
                Arguments.of(IN_PROGRESS, inProgress.plusHours(3), true),
                Arguments.of(IN_PROGRESS, queued.plusMinutes(1), false), // uses its own threshold
                Arguments.of(QUEUED, queued.minusSeconds(1), false),
                Arguments.of(QUEUED, queued, true),
                Arguments.of(QUEUED, queued.plusDays(1), true),
                Arguments.of(SUCCESSFUL, Duration.ofDays(30), false),
                Arguments.of(FAILED, Duration.ofDays(30), false),
                Arguments.of(CANCELLED, Duration.ofDays(30), false),
                // A state Atlas adds later and that has not finished is held to the InProgress threshold.
                Arguments.of(PAUSED, inProgress.minusSeconds(1), false),
                Arguments.of(PAUSED, inProgress, true));
    }

    @ParameterizedTest(name = "{0} for {1}: stuck={2}")
    @MethodSource("stuckCases")
    void aJobIsStuckOnceItsStateIsAtLeastItsThresholdOld(String state, Duration elapsed, boolean stuck) {
        ClusterSnapshot previous = polled(job("a", QUEUED.equals(state) ? PAUSED : QUEUED));
        previous = diff(previous, T0, job("a", state)).snapshot(); // state entered at T0
        Instant now = T0.plus(elapsed);

        DiffResult result = diff(previous, now, job("a", state));

        assertEquals(stuck, result.snapshot().jobs().get("a").stuck());
        if (stuck) {
            StuckDetected detected = only(result, StuckDetected.class);
            assertEquals(elapsed, detected.inState());
            assertEquals(state, detected.job().state());
            assertTrue(detected.job().stuck());
            assertEquals(now, detected.at());
        } else {
            assertEquals(List.of(), result.events());
        }
    }

    @Test
    void anUnknownStateWithFinishedAtIsEndedAndNeverStuck() {
        ExportJob ended = new ExportJob("a", "snap-a", "bucket-1", CREATED, T0, "exports/a", PAUSED, null, null, null, null, null);
        ClusterSnapshot previous = diff(polled(job("a", QUEUED)), T0, ended).snapshot();

        DiffResult result = diff(previous, T0.plus(Duration.ofDays(30)), ended);

        assertEquals(List.of(), result.events());
        assertFalse(result.snapshot().jobs().get("a").stuck());
    }

    @Test
    void stuckIsReportedOnceWhileTheJobStaysInItsState() {
        Instant now = CREATED.plus(THRESHOLDS.inProgressAfter());
        DiffResult first = diff(polled(job("a", IN_PROGRESS)), now, job("a", IN_PROGRESS));
        only(first, StuckDetected.class);
        ClusterSnapshot snapshot = first.snapshot();

        for (int poll = 1; poll <= 3; poll++) {
            DiffResult again = diff(snapshot, now.plus(Duration.ofHours(poll)), job("a", IN_PROGRESS));
            assertEquals(List.of(), again.events());
            assertTrue(again.snapshot().jobs().get("a").stuck());
            snapshot = again.snapshot();
        }
    }

    @Test
    void aStateChangeClearsStuckAndRestartsTheTimer() {
        Instant stuckAt = CREATED.plus(THRESHOLDS.queuedAfter());
        ClusterSnapshot stuck = diff(polled(job("a", QUEUED)), stuckAt, job("a", QUEUED)).snapshot();
        assertTrue(stuck.jobs().get("a").stuck());

        Instant startedAt = stuckAt.plusSeconds(60);
        DiffResult started = diff(stuck, startedAt, job("a", IN_PROGRESS));
        assertFalse(only(started, StateChanged.class).job().stuck());

        Instant justUnder = startedAt.plus(THRESHOLDS.inProgressAfter()).minusMillis(1);
        DiffResult notYet = diff(started.snapshot(), justUnder, job("a", IN_PROGRESS));
        assertEquals(List.of(), notYet.events());

        Instant atThreshold = startedAt.plus(THRESHOLDS.inProgressAfter());
        StuckDetected again = only(diff(notYet.snapshot(), atThreshold, job("a", IN_PROGRESS)), StuckDetected.class);
        assertEquals(THRESHOLDS.inProgressAfter(), again.inState());
    }

    static Stream<Arguments> disabledThresholds() {
        return Stream.of(
                Arguments.of(IN_PROGRESS, new MonitorConfig.Stuck(Duration.ZERO, Duration.ofHours(1), "warning")),
                Arguments.of(QUEUED, new MonitorConfig.Stuck(Duration.ofHours(6), Duration.ZERO, "warning")),
                Arguments.of(IN_PROGRESS, new MonitorConfig.Stuck(null, Duration.ofHours(1), "warning")),
                Arguments.of(QUEUED, new MonitorConfig.Stuck(Duration.ofHours(6), null, "warning")),
                Arguments.of(QUEUED, new MonitorConfig.Stuck(Duration.ofHours(6), Duration.ofHours(-1), "warning")),
                Arguments.of(IN_PROGRESS, null),
                Arguments.of(QUEUED, null));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("disabledThresholds")
    void aZeroOrAbsentThresholdDisablesTheCheck(String state, MonitorConfig.Stuck thresholds) {
        Instant muchLater = CREATED.plus(Duration.ofDays(10));

        DiffResult result = ExportJobDiffer.diff(ClusterSnapshot.empty(CLUSTER), List.of(job("a", state)),
                muchLater, thresholds, MEMORY);

        only(result, JobSeen.class);
        assertFalse(result.snapshot().jobs().get("a").stuck());
    }

    @Test
    void aJobFirstSeenAlreadyOverItsThresholdIsSeenThenStuckMeasuredFromCreatedAt() {
        Instant created = T0.minus(Duration.ofHours(7));
        ExportJob old = createdAt(job("a", IN_PROGRESS), created);

        DiffResult result = diff(ClusterSnapshot.empty(CLUSTER), T0, old);

        assertEquals(2, result.events().size());
        JobSeen seen = assertInstanceOf(JobSeen.class, result.events().get(0));
        StuckDetected stuck = assertInstanceOf(StuckDetected.class, result.events().get(1));
        assertTrue(seen.baseline());
        assertFalse(seen.job().stuck());
        assertEquals(Duration.ofHours(7), stuck.inState());
        TrackedJob tracked = result.snapshot().jobs().get("a");
        assertTrue(tracked.stuck());
        assertEquals(created, tracked.stuckClockStart());
        assertEquals(T0, tracked.stateSince());
    }

    static Stream<Arguments> unusableCreatedAt() {
        return Stream.of(Arguments.of((Object) null), Arguments.of(T0.plusSeconds(1)), Arguments.of(T0));
    }

    @ParameterizedTest(name = "createdAt={0}")
    @MethodSource("unusableCreatedAt")
    void aMissingOrFutureCreatedAtStartsTheStuckTimerNow(Instant created) {
        DiffResult result = diff(ClusterSnapshot.empty(CLUSTER), T0, createdAt(job("a", QUEUED), created));

        only(result, JobSeen.class);
        assertEquals(T0, result.snapshot().jobs().get("a").stuckClockStart());
    }

    // ---- jobs leaving, odd input ----

    @Test
    void vanishedJobsLeaveInPreviousSnapshotOrderAfterTheCurrentJobsEvents() {
        ClusterSnapshot previous = polled(job("c", SUCCESSFUL), job("b", QUEUED), job("a", FAILED), job("d", QUEUED));

        DiffResult result = diff(previous, T0.plusSeconds(60), job("e", QUEUED), job("b", IN_PROGRESS));

        List<JobEvent> events = result.events();
        assertEquals(5, events.size(), () -> "events: " + events);
        assertEquals("e", assertInstanceOf(JobSeen.class, events.get(0)).job().id());
        assertEquals("b", assertInstanceOf(StateChanged.class, events.get(1)).job().id());
        JobLeft c = assertInstanceOf(JobLeft.class, events.get(2));
        assertEquals("c", c.job().id());
        assertEquals(previous.jobs().get("c"), c.job());
        assertEquals("a", assertInstanceOf(JobLeft.class, events.get(3)).job().id());
        assertEquals("d", assertInstanceOf(JobLeft.class, events.get(4)).job().id());
        assertEquals(List.of("e", "b"), List.copyOf(result.snapshot().jobs().keySet()));
    }

    // ---- a job missing from one list ----

    @Test
    void aJobMissingFromOneListIsRememberedAndIsNoNewsWhenBack() {
        ClusterSnapshot previous = polled(job("a", FAILED), job("b", SUCCESSFUL));

        DiffResult missing = diff(previous, T0.plusSeconds(60), job("b", SUCCESSFUL));
        assertEquals("a", only(missing, JobLeft.class).job().id());
        assertEquals(List.of("b"), List.copyOf(missing.snapshot().jobs().keySet()));
        assertEquals(T0.plusSeconds(60), missing.snapshot().departed().get("a").leftAt());

        DiffResult back = diff(missing.snapshot(), T0.plusSeconds(120), job("a", FAILED), job("b", SUCCESSFUL));
        assertEquals(List.of(), back.events());
        assertEquals(T0, back.snapshot().jobs().get("a").firstSeen());
        assertEquals(List.of(), List.copyOf(back.snapshot().departed().keySet()));
    }

    @Test
    void aJobThatChangedWhileMissingComesBackAsAStateChange() {
        ClusterSnapshot missing = diff(polled(job("a", IN_PROGRESS)), T0.plusSeconds(60)).snapshot();

        DiffResult back = diff(missing, T0.plusSeconds(120), job("a", FAILED));

        StateChanged changed = only(back, StateChanged.class);
        assertEquals(IN_PROGRESS, changed.previousState());
    }

    @Test
    void aDepartedJobIsForgottenOnceItHasBeenGoneLongerThanTheMemory() {
        ClusterSnapshot missing = diff(polled(job("a", FAILED)), T0.plusSeconds(60)).snapshot();

        assertEquals(List.of("a"), List.copyOf(diff(missing, T0.plusSeconds(60).plus(MEMORY)).snapshot().departed().keySet()));
        ClusterSnapshot forgotten = diff(missing, T0.plusSeconds(61).plus(MEMORY)).snapshot();
        assertEquals(List.of(), List.copyOf(forgotten.departed().keySet()));
        only(diff(forgotten, T0.plusSeconds(62).plus(MEMORY), job("a", FAILED)), JobSeen.class);
    }

    @Test
    void eventsFollowTheOrderOfTheCurrentList() {
        ClusterSnapshot previous = polled(job("a", QUEUED), job("b", QUEUED), job("c", QUEUED));

        DiffResult result = diff(previous, T0.plusSeconds(5),
                job("c", IN_PROGRESS), job("new", QUEUED), job("a", IN_PROGRESS), job("b", QUEUED));

        assertEquals(List.of("c", "new", "a"), result.events().stream().map(e -> e.job().id()).toList());
        assertEquals(List.of("c", "new", "a", "b"), List.copyOf(result.snapshot().jobs().keySet()));
    }

    @Test
    void aRepeatedIdKeepsItsLastBodyAndDoesNotCrash() {
        ClusterSnapshot previous = polled(job("a", QUEUED), job("b", QUEUED));

        DiffResult result = diff(previous, T0.plusSeconds(5),
                job("a", QUEUED), job("b", QUEUED), job("a", IN_PROGRESS));

        StateChanged changed = only(result, StateChanged.class);
        assertEquals(IN_PROGRESS, changed.job().state());
        assertEquals(List.of("a", "b"), List.copyOf(result.snapshot().jobs().keySet()));
    }

    @Test
    void jobsWithoutAnIdAndNullEntriesAreSkipped() {
        DiffResult result = diff(ClusterSnapshot.empty(CLUSTER), T0, null, job(null, QUEUED), job("a", QUEUED));

        assertEquals("a", only(result, JobSeen.class).job().id());
        assertEquals(1, result.snapshot().jobs().size());
    }

    @Test
    void aJobWithOnlyAnIdIsTrackedAndItsNullStateIsAState() {
        ExportJob bare = new ExportJob("a", null, null, null, null, null, null, null, null, null, null, null);

        DiffResult first = diff(ClusterSnapshot.empty(CLUSTER), T0, bare);
        JobSeen seen = only(first, JobSeen.class);
        assertNull(seen.job().state());
        assertEquals(T0, seen.job().stuckClockStart());

        DiffResult same = diff(first.snapshot(), T0.plus(Duration.ofDays(2)), bare);
        assertEquals(List.of(), same.events());

        DiffResult queued = diff(same.snapshot(), T0.plus(Duration.ofDays(3)), job("a", QUEUED));
        assertNull(only(queued, StateChanged.class).previousState());
    }

    // ---- restart ----

    @Test
    void afterARestartOnlyTheJobThatChangedWhileTheMonitorWasDownIsReported() {
        ClusterSnapshot beforeShutdown = diff(polled(job("a", QUEUED), job("b", IN_PROGRESS, new ExportStatus(2, 9)),
                        job("c", SUCCESSFUL), job("p", PAUSED)),
                T0.plusSeconds(60), job("a", QUEUED), job("b", IN_PROGRESS, new ExportStatus(2, 9)),
                job("c", SUCCESSFUL), job("p", PAUSED)).snapshot();
        // What a reload from the durable state gives: equal values, rebuilt objects, observedAt kept.
        ClusterSnapshot reloaded = new ClusterSnapshot(new ClusterKey(CLUSTER.groupId(), CLUSTER.clusterName()),
                new LinkedHashMap<>(beforeShutdown.jobs()), beforeShutdown.observedAt());
        Instant afterRestart = T0.plus(Duration.ofMinutes(30));

        DiffResult result = diff(reloaded, afterRestart, job("a", IN_PROGRESS),
                job("b", IN_PROGRESS, new ExportStatus(2, 9)), job("c", SUCCESSFUL), job("p", PAUSED));

        StateChanged changed = only(result, StateChanged.class);
        assertEquals("a", changed.job().id());
        assertEquals(QUEUED, changed.previousState());
        assertEquals(T0, changed.job().firstSeen());
        assertEquals(beforeShutdown.jobs().get("b"), result.snapshot().jobs().get("b"));
    }
}
