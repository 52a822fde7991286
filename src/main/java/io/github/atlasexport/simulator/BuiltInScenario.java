package io.github.atlasexport.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;

/**
 * The world of {@code demo} and of {@code simulate} without a scenario file: three projects, nine
 * clusters (replica sets and sharded), jobs that succeed, fail, get cancelled, hang InProgress
 * (past the 6 h stuck threshold) and hang Queued (past 1 h), and on most clusters a new job
 * every one to two minutes, cycling outcomes, so something changes within a minute of starting.
 * Coverage: Payments/Orders has auto-export on but stopped (overdue a few minutes in), and every
 * export to Analytics' bucket analytics-dr (Warehouse's) fails.
 * Digest key {@code sim-public}/{@code sim-private}; service account {@code sim-client}/{@code sim-secret}.
 */
final class BuiltInScenario {
    static final String PAYMENTS = "6560a1b2c3d4e5f600000001";
    static final String ANALYTICS = "6560a1b2c3d4e5f600000002";
    static final String STAGING = "6560a1b2c3d4e5f600000003";
    static final String ANALYTICS_BUCKET = "6560a1b2c3d4e5f6000000b1";
    /** Every export to it fails: AtlasExportBucketFailing from the start. */
    static final String ANALYTICS_DR_BUCKET = "6560a1b2c3d4e5f6000000b2";
    private static final String DR_DENIED = "Access denied writing to s3://analytics-dr: the IAM role lacks s3:PutObject";

    /** What churn cycles through; each cluster starts at a different point of the cycle. */
    private static final List<JobPlan> CYCLE = List.of(
            JobPlan.succeeding(ofSeconds(10), ofSeconds(45), 30),
            JobPlan.succeeding(ofSeconds(5), ofSeconds(90), 60),
            new JobPlan(ofSeconds(10), ofSeconds(40), 50, JobPlan.Outcome.FAILED,
                    "Export bucket quota exceeded while writing collection orders.archive", "EXPORT_BUCKET_QUOTA_EXCEEDED"),
            JobPlan.succeeding(ofSeconds(20), ofSeconds(60), 25),
            JobPlan.ending(JobPlan.Outcome.CANCELLED, ofSeconds(15), ofSeconds(30), 40),
            JobPlan.succeeding(ofSeconds(10), ofMinutes(2), 80));

    private BuiltInScenario() {
    }

    static Scenario create() {
        Scenario.ProjectSpec payments = new Scenario.ProjectSpec(PAYMENTS, "Payments", null, List.of(
                Scenario.ClusterSpec.replicaSet("Cluster0", List.of(
                        job(ofHours(26), JobPlan.succeeding(ofMinutes(1), ofMinutes(40), 120)),
                        job(ofHours(3), new JobPlan(ofSeconds(30), ofMinutes(10), 80, JobPlan.Outcome.FAILED,
                                "Access denied writing to s3://payments-exports: check the IAM role's trust policy",
                                "EXPORT_BUCKET_ACCESS_DENIED")),
                        job(ofSeconds(40), JobPlan.succeeding(ofSeconds(10), ofMinutes(3), 40))),
                        churn(ofSeconds(60), ofSeconds(20), 0)),
                Scenario.ClusterSpec.sharded("Ledger", 3, List.of(
                        job(ofHours(5), JobPlan.succeeding(ofMinutes(1), ofMinutes(30), 90)),
                        job(ofHours(7), JobPlan.ending(JobPlan.Outcome.HANG, ofMinutes(2), ofMinutes(20), 60))),
                        churn(ofSeconds(75), ofSeconds(45), 1)),
                // Auto-export on (daily) but silently stopped 26 h ago: the newest exported snapshot
                // is 29 h 57 min old at start, so the policy (1 d + 6 h grace) is missed 3 minutes in.
                Scenario.ClusterSpec.replicaSet("Orders", List.of(), null)
                        .withSnapshots(8, ofHours(6), ofHours(5).plusMinutes(57))
                        .withAutoExport(Scenario.AutoExport.stopped("daily", ofHours(26)))));
        Scenario.ProjectSpec analytics = new Scenario.ProjectSpec(ANALYTICS, "Analytics", List.of(
                new Scenario.BucketSpec(ANALYTICS_BUCKET, "analytics-exports"),
                new Scenario.BucketSpec(ANALYTICS_DR_BUCKET, "analytics-dr")), List.of(
                Scenario.ClusterSpec.replicaSet("Reporting", List.of(
                        job(ofMinutes(50), JobPlan.ending(JobPlan.Outcome.CANCELLED, ofMinutes(1), ofMinutes(5), 30)),
                        job(ofHours(2), JobPlan.ending(JobPlan.Outcome.HANG_QUEUED, Duration.ZERO, ofMinutes(1), 20)),
                        job(ofMinutes(10), JobPlan.succeeding(ofSeconds(30), ofMinutes(4), 35))),
                        churn(ofSeconds(90), ofSeconds(30), 2)),
                Scenario.ClusterSpec.sharded("Events", 2, List.of(
                        job(ofHours(1), new JobPlan(ofMinutes(1), ofMinutes(8), 40, JobPlan.Outcome.FAILED,
                                "Snapshot expired before the export completed", "SNAPSHOT_EXPIRED")),
                        job(ofSeconds(20), JobPlan.succeeding(ofSeconds(30), ofMinutes(2), 20))),
                        churn(ofSeconds(60), ofSeconds(50), 3)),
                Scenario.ClusterSpec.replicaSet("Warehouse", List.of(
                        job(ofHours(3), JobPlan.failing(ofSeconds(30), ofMinutes(5), 40, DR_DENIED)),
                        job(ofHours(2), JobPlan.failing(ofSeconds(30), ofMinutes(5), 40, DR_DENIED)),
                        job(ofHours(1), JobPlan.failing(ofSeconds(30), ofMinutes(5), 40, DR_DENIED))),
                        new Scenario.Churn(ofMinutes(3), ofMinutes(2), 30,
                                List.of(JobPlan.failing(ofSeconds(10), ofSeconds(40), 40, DR_DENIED))))
                        .withExportBucket(ANALYTICS_DR_BUCKET)));
        Scenario.ProjectSpec staging = new Scenario.ProjectSpec(STAGING, "Staging", null, List.of(
                Scenario.ClusterSpec.replicaSet("stg-main", List.of(
                        job(ofHours(48), JobPlan.succeeding(ofMinutes(1), ofMinutes(15), 50))),
                        churn(ofSeconds(120), ofSeconds(60), 4)),
                Scenario.ClusterSpec.sharded("stg-sharded", 2, List.of(
                        job(ofSeconds(15), JobPlan.failing(ofSeconds(20), ofSeconds(90), 30,
                                "Export failed: shard atlas-stg-sharded-shard-1 became unreachable"))),
                        churn(ofSeconds(100), ofSeconds(70), 5)),
                Scenario.ClusterSpec.replicaSet("Archive", List.of(
                        job(Duration.ofDays(10), JobPlan.succeeding(ofMinutes(2), ofMinutes(30), 200))), null)));
        return new Scenario(List.of(payments, analytics, staging), null, Scenario.RateLimit.perMinute(600, 600),
                null, null, null, null);
    }

    private static Scenario.JobSpec job(Duration createdAgo, JobPlan plan) {
        return Scenario.JobSpec.of(createdAgo, plan);
    }

    private static Scenario.Churn churn(Duration every, Duration offset, int rotation) {
        List<JobPlan> plans = new ArrayList<>(CYCLE);
        Collections.rotate(plans, -rotation);
        return new Scenario.Churn(every, offset, 30, plans);
    }
}
