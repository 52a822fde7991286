package io.github.atlasexport.testing;

import io.github.atlasexport.atlas.Credentials;
import io.github.atlasexport.simulator.JobPlan;
import io.github.atlasexport.simulator.Scenario;

import java.time.Duration;
import java.util.List;

/** A small simulated world shared by the CLI and runtime tests. */
public final class SimWorld {
    public static final String SHOP = "5f0a1b2c3d4e5f6a7b8c9d01";
    public static final String INSIGHTS = "5f0a1b2c3d4e5f6a7b8c9d02";
    public static final String ORDERS = "Orders";
    public static final String LEDGER = "Ledger";
    public static final String REPORTS = "Reports";
    public static final Credentials.Digest KEY = new Credentials.Digest("sim-public", "sim-private");
    /** Jobs that wait in Queued until the test moves them. */
    public static final JobPlan WAITS_QUEUED = JobPlan.ending(JobPlan.Outcome.HANG_QUEUED, Duration.ZERO, Duration.ZERO, 10);

    private SimWorld() {
    }

    /** Shop: a replica set and a sharded cluster; Insights: one replica set with one old success. */
    public static Scenario scenario() {
        JobPlan quick = JobPlan.succeeding(Duration.ofSeconds(10), Duration.ofMinutes(5), 12);
        return new Scenario(List.of(
                new Scenario.ProjectSpec(SHOP, "Shop", null, List.of(
                        Scenario.ClusterSpec.replicaSet(ORDERS, List.of(), null),
                        Scenario.ClusterSpec.sharded(LEDGER, 2, List.of(), null))),
                new Scenario.ProjectSpec(INSIGHTS, "Insights", null, List.of(
                        Scenario.ClusterSpec.replicaSet(REPORTS,
                                List.of(Scenario.JobSpec.of(Duration.ofHours(2), quick)), null)))),
                null, null, null, null, null, null);
    }
}
