package io.github.atlasexport.remediation;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.config.MonitorConfig.RetryFailed;
import io.github.atlasexport.monitor.RetryMarker;
import io.github.atlasexport.monitor.TrackedJob;
import io.github.atlasexport.remediation.RetryDecision.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetryDecisionUnitTests {
    private static final Instant FAILED_AT = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant LATER = FAILED_AT.plus(Duration.ofMinutes(16));
    private static final RetryFailed ON = new RetryFailed(true, Duration.ofMinutes(15), 2, false, List.of());
    private static final TrackedJob ORIGINAL = job("j1", "s1", "b1", ExportState.FAILED, FAILED_AT, "EXPORT_FAILED", List.of());

    @Test
    void aFailedJobPastAfterWithItsSnapshotIsRetriedAsAttemptOne() {
        RetryDecision decision = RetryDecision.decide(ORIGINAL, List.of(ORIGINAL), true, 0, LATER, ON);

        assertEquals(new RetryDecision(Action.CREATE, 1, null), decision);
    }

    @Test
    void waitsUntilAfterHasPassedSinceTheFailureWasSeen() {
        RetryDecision decision = RetryDecision.decide(ORIGINAL, List.of(ORIGINAL), true, 0,
                FAILED_AT.plus(Duration.ofMinutes(14)), ON);

        assertEquals(new RetryDecision(Action.WAIT, 0, FAILED_AT.plus(Duration.ofMinutes(15))), decision);
    }

    @Test
    void disabledPolicyDoesNothing() {
        RetryFailed off = new RetryFailed(false, Duration.ofMinutes(15), 2, false, List.of());

        assertEquals(Action.NOT_APPLICABLE, RetryDecision.decide(ORIGINAL, List.of(ORIGINAL), true, 0, LATER, off).action());
    }

    @ParameterizedTest
    @ValueSource(strings = {ExportState.CANCELLED, ExportState.SUCCESSFUL, ExportState.QUEUED, ExportState.IN_PROGRESS, "Paused"})
    void onlyFailedJobsAreRetriedNeverCancelledOnes(String state) {
        TrackedJob job = job("j1", "s1", "b1", state, FAILED_AT, null, List.of());

        assertEquals(Action.NOT_APPLICABLE, RetryDecision.decide(job, List.of(job), true, 0, LATER, ON).action());
    }

    @Test
    void aFailedRetryIsHandledThroughItsOriginalNotRetriedItself() {
        TrackedJob retry = retryOf("r1", ExportState.FAILED, FAILED_AT.plus(Duration.ofMinutes(20)));

        assertEquals(Action.NOT_APPLICABLE, RetryDecision.decide(retry, List.of(ORIGINAL, retry), true, 1, LATER, ON).action());
    }

    @ParameterizedTest
    @ValueSource(strings = {ExportState.QUEUED, ExportState.IN_PROGRESS, ExportState.SUCCESSFUL})
    void anotherJobOfTheSameSnapshotAndBucketThatIsNotFailedSkips(String state) {
        TrackedJob other = job("j2", "s1", "b1", state, FAILED_AT, null, List.of());

        assertEquals(Action.SKIP_EXISTS, RetryDecision.decide(ORIGINAL, List.of(ORIGINAL, other), true, 0, LATER, ON).action());
    }

    @Test
    void jobsOfAnotherSnapshotOrBucketOrThatFailedDoNotCount() {
        List<TrackedJob> jobs = List.of(ORIGINAL,
                job("j2", "s2", "b1", ExportState.SUCCESSFUL, FAILED_AT, null, List.of()),
                job("j3", "s1", "b2", ExportState.SUCCESSFUL, FAILED_AT, null, List.of()),
                job("j4", "s1", "b1", ExportState.FAILED, FAILED_AT, null, List.of()),
                job("j5", "s1", "b1", ExportState.CANCELLED, FAILED_AT, null, List.of()));

        assertEquals(Action.CREATE, RetryDecision.decide(ORIGINAL, jobs, true, 0, LATER, ON).action());
    }

    @Test
    void aRetryInFlightSkipsAndAFailedOneLeadsToAttemptTwoAfterItsOwnWait() {
        Instant retryFailedAt = FAILED_AT.plus(Duration.ofMinutes(30));
        TrackedJob running = retryOf("r1", ExportState.IN_PROGRESS, retryFailedAt);
        TrackedJob failed = retryOf("r1", ExportState.FAILED, retryFailedAt);

        assertEquals(Action.SKIP_EXISTS, RetryDecision.decide(ORIGINAL, List.of(ORIGINAL, running), true, 1, LATER, ON).action());
        assertEquals(Action.WAIT, RetryDecision.decide(ORIGINAL, List.of(ORIGINAL, failed), true, 1,
                retryFailedAt.plus(Duration.ofMinutes(1)), ON).action());
        assertEquals(new RetryDecision(Action.CREATE, 2, null), RetryDecision.decide(ORIGINAL, List.of(ORIGINAL, failed), true, 1,
                retryFailedAt.plus(Duration.ofMinutes(15)), ON));
    }

    @Test
    void aCancelledRetryEndsTheChain() {
        TrackedJob cancelled = retryOf("r1", ExportState.CANCELLED, FAILED_AT.plus(Duration.ofMinutes(30)));

        assertEquals(Action.NOT_APPLICABLE, RetryDecision.decide(ORIGINAL, List.of(ORIGINAL, cancelled), true, 1,
                LATER.plus(Duration.ofHours(1)), ON).action());
    }

    @Test
    void attemptsAreTheCommittedOnesOrTheRetriesListedWhicheverIsMore() {
        TrackedJob r1 = retryOf("r1", ExportState.FAILED, FAILED_AT);
        TrackedJob r2 = retryOf("r2", ExportState.FAILED, FAILED_AT);
        Instant muchLater = LATER.plus(Duration.ofHours(1));

        assertEquals(Action.SKIP_ATTEMPTS, RetryDecision.decide(ORIGINAL, List.of(ORIGINAL), true, 2, muchLater, ON).action());
        assertEquals(Action.SKIP_ATTEMPTS, RetryDecision.decide(ORIGINAL, List.of(ORIGINAL, r1, r2), true, 0, muchLater, ON).action());
        assertEquals(new RetryDecision(Action.CREATE, 2, null),
                RetryDecision.decide(ORIGINAL, List.of(ORIGINAL, r1), true, 0, muchLater, ON));
    }

    @Test
    void aGoneSnapshotSkips() {
        assertEquals(Action.SKIP_SNAPSHOT_GONE, RetryDecision.decide(ORIGINAL, List.of(ORIGINAL), false, 0, LATER, ON).action());
    }

    @Test
    void errorCodesFilterOnTheLastFailuresStateReason() {
        RetryFailed onlyBucket = new RetryFailed(true, Duration.ofMinutes(15), 2, false, List.of("BUCKET_ACCESS_DENIED"));
        TrackedJob bucket = job("j9", "s1", "b1", ExportState.FAILED, FAILED_AT, "BUCKET_ACCESS_DENIED", List.of());

        assertEquals(Action.NOT_APPLICABLE, RetryDecision.decide(ORIGINAL, List.of(ORIGINAL), true, 0, LATER, onlyBucket).action());
        assertEquals(Action.CREATE, RetryDecision.decide(bucket, List.of(bucket), true, 0, LATER, onlyBucket).action());
    }

    private static TrackedJob retryOf(String id, String state, Instant since) {
        return job(id, "s1", "b1", state, since, "EXPORT_FAILED", RetryMarker.mark(List.of(), ORIGINAL.id()));
    }

    private static TrackedJob job(String id, String snapshotId, String bucketId, String state, Instant since,
                                  String errorCode, List<ExportJob.CustomData> customData) {
        ExportJob job = new ExportJob(id, snapshotId, bucketId, since.minus(Duration.ofMinutes(5)), null, null, state,
                errorCode == null ? null : new ExportJob.StateReason(errorCode, "failed"), null, null, List.of(),
                new ArrayList<>(customData));
        return new TrackedJob(job, since, since, since, false);
    }
}
