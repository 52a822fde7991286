package io.github.atlasexport.coverage;

import io.github.atlasexport.atlas.BackupSchedule;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.Snapshot;
import io.github.atlasexport.monitor.ClusterKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoverageRulesUnitTests {
    private static final ClusterKey CLUSTER = new ClusterKey("6560a1b2c3d4e5f600000001", "Cluster0");
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration GRACE = Duration.ofHours(6);
    private static final ExportPolicy DAILY = new ExportPolicy(true, "bucket1", "daily");

    @Test
    void theNewestSnapshotWithASuccessfulExportIsTheRecoveryPoint() {
        List<Snapshot> snapshots = List.of(snapshot("s1", T0), snapshot("s2", T0.plus(Duration.ofDays(1))),
                snapshot("s3", T0.plus(Duration.ofDays(2))), snapshot("s4", T0.plus(Duration.ofDays(3))));
        List<ExportJob> jobs = List.of(job("j1", "s1", "Successful"), job("j2", "s2", "Successful"),
                job("j3", "s3", "Failed"), job("j4", "s4", "InProgress"));

        ClusterCoverage coverage = CoverageRules.assess(CLUSTER, DAILY, T0, null, snapshots, jobs,
                T0.plus(Duration.ofDays(3)), GRACE);

        assertEquals("s2", coverage.recoverySnapshotId());
        assertEquals(T0.plus(Duration.ofDays(1)), coverage.recoveryPoint());
        assertEquals(2, coverage.unexported()); // s3 failed, s4 still running
        assertEquals(T0.plus(Duration.ofDays(2)).plus(GRACE), coverage.deadline());
        assertTrue(coverage.overdue());
    }

    @Test
    void aSuccessfulJobOfASnapshotNoLongerListedAndSnapshotsNotCompletedDoNotCount() {
        List<Snapshot> snapshots = List.of(snapshot("s1", T0),
                new Snapshot("s2", T0.plusSeconds(60), "inProgress", "daily", "scheduled", "replicaSet"));
        List<ExportJob> jobs = List.of(job("j0", "gone", "Successful"));

        ClusterCoverage coverage = CoverageRules.assess(CLUSTER, DAILY, T0, null, snapshots, jobs, T0, GRACE);

        assertNull(coverage.recoveryPoint());
        assertEquals(1, coverage.unexported());
    }

    @Test
    void shardedSnapshotsMatchTheirJobsByIdLikeReplicaSets() {
        Snapshot sharded = new Snapshot("sh1", T0, "completed", "daily", "scheduled", "shardedCluster");
        ExportJob job = new ExportJob("j1", "sh1", "bucket1", T0.plusSeconds(60), T0.plusSeconds(600), null,
                "Successful", null, null, null,
                List.of(new ExportJob.Component("c1", "shard-0"), new ExportJob.Component("c2", "shard-1")), null);

        ClusterCoverage coverage = CoverageRules.assess(CLUSTER, DAILY, T0, null, List.of(sharded), List.of(job), T0, GRACE);

        assertEquals("sh1", coverage.recoverySnapshotId());
        assertEquals(0, coverage.unexported());
    }

    @ParameterizedTest
    @CsvSource({"daily, 1", "weekly, 7", "monthly, 31", "yearly, 366", "Daily, 1"})
    void overdueOnePeriodAndTheGraceAfterTheRecoveryPointNotOneInstantSooner(String frequency, int days) {
        ExportPolicy policy = new ExportPolicy(true, "bucket1", frequency);
        List<Snapshot> snapshots = List.of(snapshot("s1", T0));
        List<ExportJob> jobs = List.of(job("j1", "s1", "Successful"));
        Instant deadline = T0.plus(Duration.ofDays(days)).plus(GRACE);

        assertFalse(CoverageRules.assess(CLUSTER, policy, T0, null, snapshots, jobs, deadline.minusNanos(1), GRACE).overdue());
        ClusterCoverage atDeadline = CoverageRules.assess(CLUSTER, policy, T0, null, snapshots, jobs, deadline, GRACE);
        assertTrue(atDeadline.overdue());
        assertEquals(deadline, atDeadline.deadline());
    }

    @Test
    void neverExportedIsOverdueOncePeriodAndGraceHavePassedSinceWatchingBegan() {
        Instant watched = T0.plus(Duration.ofHours(5));
        List<Snapshot> snapshots = List.of(snapshot("s1", T0));
        Instant deadline = watched.plus(Duration.ofDays(1)).plus(GRACE);

        assertFalse(CoverageRules.assess(CLUSTER, DAILY, watched, null, snapshots, List.of(), deadline.minusSeconds(1), GRACE)
                .overdue());
        assertTrue(CoverageRules.assess(CLUSTER, DAILY, watched, null, snapshots, List.of(), deadline, GRACE).overdue());
    }

    @Test
    void withoutAutoExportOrAtAnUnknownFrequencyNothingIsEverOverdue() {
        List<Snapshot> snapshots = List.of(snapshot("s1", T0));
        Instant muchLater = T0.plus(Duration.ofDays(400));
        for (ExportPolicy policy : List.of(ExportPolicy.NONE, new ExportPolicy(false, "bucket1", "daily"),
                new ExportPolicy(true, "bucket1", "fortnightly"))) {
            ClusterCoverage coverage = CoverageRules.assess(CLUSTER, policy, T0, null, snapshots, List.of(), muchLater, GRACE);
            assertFalse(coverage.overdue());
            assertNull(coverage.deadline());
            assertEquals(1, coverage.unexported());
        }
    }

    @Test
    void aPolicyTurnedOnLaterCountsFromThenNotFromAnOldManualExport() {
        List<Snapshot> snapshots = List.of(snapshot("s1", T0));
        List<ExportJob> jobs = List.of(job("j1", "s1", "Successful"));
        Instant policySince = T0.plus(Duration.ofDays(10));

        ClusterCoverage justChanged = CoverageRules.assess(CLUSTER, DAILY, T0, policySince, snapshots, jobs,
                policySince.plus(Duration.ofHours(29)), GRACE);
        assertFalse(justChanged.overdue());
        assertEquals(T0, justChanged.recoveryPoint());
        assertTrue(CoverageRules.assess(CLUSTER, DAILY, T0, policySince, snapshots, jobs,
                policySince.plus(Duration.ofHours(30)), GRACE).overdue());
    }

    @Test
    void aPolicyInForceSinceBeforeWatchingCountsFromTheRecoveryPointNotFromTheFirstPoll() {
        List<Snapshot> snapshots = List.of(snapshot("s1", T0));
        List<ExportJob> jobs = List.of(job("j1", "s1", "Successful"));
        Instant firstPoll = T0.plus(Duration.ofDays(3));

        assertTrue(CoverageRules.assess(CLUSTER, DAILY, firstPoll, null, snapshots, jobs, firstPoll, GRACE).overdue());
    }

    @Test
    void thePolicyIsReadFromTheSchedule() {
        BackupSchedule schedule = new BackupSchedule("Cluster0", true, new BackupSchedule.Export("b1", "weekly"), false);
        assertEquals(new ExportPolicy(true, "b1", "weekly"), ExportPolicy.of(schedule));
        assertEquals(ExportPolicy.NONE, ExportPolicy.of(new BackupSchedule("Cluster0", null, null, null)));
        assertEquals(ExportPolicy.NONE, ExportPolicy.of(null));
    }

    @Test
    void aBucketFailsWhenItsLastNFinishedJobsAllFailedAcrossClusters() {
        List<ExportJob> jobs = List.of(
                finished("a1", "b1", "Successful", 1),
                finished("a2", "b1", "Failed", 2),
                finished("c3", "b1", "Failed", 3), // another cluster, same bucket
                finished("a4", "b1", "Failed", 4),
                running("a5", "b1"),
                finished("x1", "b2", "Failed", 5),
                finished("x2", "b2", "Failed", 6),
                finished("x3", "b2", "Cancelled", 7));

        List<BucketVerdict> verdicts = CoverageRules.buckets("g", jobs, 3);

        assertEquals(List.of("b1", "b2"), verdicts.stream().map(BucketVerdict::exportBucketId).toList());
        BucketVerdict b1 = verdicts.get(0);
        assertTrue(b1.failing());
        assertEquals(3, b1.failedInARow());
        assertEquals(T0.plus(Duration.ofHours(4)), b1.since());
        assertEquals("denied", b1.lastError());
        assertFalse(verdicts.get(1).failing()); // the newest one was cancelled
        assertFalse(CoverageRules.buckets("g", jobs, 4).get(0).failing());
    }

    @Test
    void aLongerRunKeepsTheInstantItReachedN() {
        List<ExportJob> jobs = List.of(finished("a1", "b1", "Failed", 1), finished("a2", "b1", "Failed", 2),
                finished("a3", "b1", "Failed", 3), finished("a4", "b1", "Failed", 4));
        assertEquals(T0.plus(Duration.ofHours(3)), CoverageRules.buckets("g", jobs, 3).get(0).since());
    }

    private static Snapshot snapshot(String id, Instant createdAt) {
        return new Snapshot(id, createdAt, "completed", "daily", "scheduled", "replicaSet");
    }

    private static ExportJob job(String id, String snapshotId, String state) {
        return new ExportJob(id, snapshotId, "bucket1", T0, null, null, state, null, null, null, null, null);
    }

    private static ExportJob finished(String id, String bucketId, String state, int hour) {
        Instant at = T0.plus(Duration.ofHours(hour));
        ExportJob.StateReason reason = "Failed".equals(state) ? new ExportJob.StateReason("DENIED", "denied") : null;
        return new ExportJob(id, "s", bucketId, at.minusSeconds(600), at, null, state, reason, null, null, null, null);
    }

    private static ExportJob running(String id, String bucketId) {
        return new ExportJob(id, "s", bucketId, T0.plus(Duration.ofHours(9)), null, null, "InProgress", null, null,
                null, null, null);
    }
}
