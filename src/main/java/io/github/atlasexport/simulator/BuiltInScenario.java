package io.github.atlasexport.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;

/**
 * The world of {@code demo} and of {@code simulate} without a scenario file: three projects, seven
 * clusters (replica sets and sharded), jobs that succeed, fail, get cancelled, hang InProgress
 * (past the 6 h stuck threshold) and hang Queued (past 1 h), and on every cluster but one a new job
 * every one to two minutes, cycling outcomes, so something changes within a minute of starting.
 * Digest key {@code sim-public}/{@code sim-private}; service account {@code sim-client}/{@code sim-secret}.
 */
final class BuiltInScenario {
    static final String PAYMENTS = "6560a1b2c3d4e5f600000001";
    static final String ANALYTICS = "6560a1b2c3d4e5f600000002";
    static final String STAGING = "6560a1b2c3d4e5f600000003";

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
                        churn(ofSeconds(75), ofSeconds(45), 1))));
        Scenario.ProjectSpec analytics = new Scenario.ProjectSpec(ANALYTICS, "Analytics", null, List.of(
                Scenario.ClusterSpec.replicaSet("Reporting", List.of(
                        job(ofMinutes(50), JobPlan.ending(JobPlan.Outcome.CANCELLED, ofMinutes(1), ofMinutes(5), 30)),
                        job(ofHours(2), JobPlan.ending(JobPlan.Outcome.HANG_QUEUED, Duration.ZERO, ofMinutes(1), 20)),
                        job(ofMinutes(10), JobPlan.succeeding(ofSeconds(30), ofMinutes(4), 35))),
                        churn(ofSeconds(90), ofSeconds(30), 2)),
                Scenario.ClusterSpec.sharded("Events", 2, List.of(
                        job(ofHours(1), new JobPlan(ofMinutes(1), ofMinutes(8), 40, JobPlan.Outcome.FAILED,
                                "Snapshot expired before the export completed", "SNAPSHOT_EXPIRED")),
                        job(ofSeconds(20), JobPlan.succeeding(ofSeconds(30), ofMinutes(2), 20))),
                        churn(ofSeconds(60), ofSeconds(50), 3))));
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
