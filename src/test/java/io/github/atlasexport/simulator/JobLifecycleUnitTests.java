package io.github.atlasexport.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class JobLifecycleUnitTests {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private static JobStatus at(JobPlan plan, long seconds) {
        return JobLifecycle.at(T0, plan, T0.plusSeconds(seconds));
    }

    @Test
    void aSuccessfulJobQueuesThenCountsCollectionsUpThenFinishes() {
        JobPlan plan = JobPlan.succeeding(ofSeconds(10), ofSeconds(100), 40);
        assertEquals(new JobStatus("Queued", 0, 40, null, null, null), at(plan, 0));
        assertEquals(new JobStatus("Queued", 0, 40, null, null, null), at(plan, 9));
        assertEquals(new JobStatus("InProgress", 0, 40, null, null, null), at(plan, 10));
        assertEquals(new JobStatus("InProgress", 20, 40, null, null, null), at(plan, 60));
        assertEquals(new JobStatus("Successful", 40, 40, T0.plusSeconds(110), null, null), at(plan, 110));
        assertEquals(at(plan, 110), at(plan, 100_000));
    }

    @Test
    void aFailedJobStopsHalfWayWithItsReason() {
        JobPlan plan = new JobPlan(ofSeconds(0), ofSeconds(60), 40, JobPlan.Outcome.FAILED, "bucket gone", "BUCKET_GONE");
        assertEquals(new JobStatus("InProgress", 10, 40, null, null, null), at(plan, 30));
        assertEquals(new JobStatus("Failed", 20, 40, T0.plusSeconds(60), "BUCKET_GONE", "bucket gone"), at(plan, 61));
    }

    @Test
    void aCancelledJobFinishesWithoutReason() {
        JobStatus status = at(JobPlan.ending(JobPlan.Outcome.CANCELLED, ofSeconds(5), ofSeconds(5), 10), 20);
        assertEquals(new JobStatus("Cancelled", 5, 10, T0.plusSeconds(10), null, null), status);
    }

    @Test
    void hangingJobsNeverFinish() {
        JobPlan hang = JobPlan.ending(JobPlan.Outcome.HANG, ofSeconds(5), ofSeconds(10), 10);
        assertEquals(new JobStatus("InProgress", 5, 10, null, null, null), at(hang, Duration.ofDays(30).toSeconds()));
        JobPlan queued = JobPlan.ending(JobPlan.Outcome.HANG_QUEUED, ofSeconds(0), ofSeconds(0), 10);
        assertEquals("Queued", at(queued, Duration.ofDays(30).toSeconds()).state());
    }

    @Test
    void aZeroRunFinishesAtOnce() {
        assertEquals("Successful", at(JobPlan.succeeding(Duration.ZERO, Duration.ZERO, 3), 0).state());
    }

    @Test
    void aForcedStateIsFrozenWhateverItIs() {
        JobPlan plan = JobPlan.succeeding(ofSeconds(0), ofSeconds(100), 10);
        JobStatus paused = JobLifecycle.forced(at(plan, 50), "Paused", null, plan, T0.plusSeconds(50));
        assertEquals(new JobStatus("Paused", 5, 10, null, null, null), paused);
        JobStatus failed = JobLifecycle.forced(at(plan, 50), "Failed", "operator said so", plan, T0.plusSeconds(50));
        assertEquals(new JobStatus("Failed", 5, 10, T0.plusSeconds(50), "EXPORT_FAILED", "operator said so"), failed);
        assertNull(JobLifecycle.forced(at(plan, 50), "Cancelled", "ignored", plan, T0).failReason());
    }

    @Test
    void aSimJobFollowsItsPlanUntilForced() {
        SimJob job = new SimJob(1, T0, JobPlan.succeeding(ofSeconds(0), ofSeconds(100), 10), "s", "b", java.util.List.of());
        assertEquals("InProgress", job.status(T0.plusSeconds(10)).state());
        job.force("Paused", null, T0.plusSeconds(10));
        assertEquals("Paused", job.status(T0.plusSeconds(1000)).state());
    }
}
