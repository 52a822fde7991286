package io.github.atlasexport.metrics;

import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.ExchangeListener;
import io.github.atlasexport.atlas.ExchangeListener.Exchange;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.JobEvent;
import io.github.atlasexport.monitor.TrackedJob;

import java.time.Duration;
import java.util.List;

import static io.github.atlasexport.metrics.Fixtures.*;

/**
 * A monitor some hours into its life, for the exposition checks: two projects, a replica set and a
 * sharded cluster, jobs in every documented state plus an undocumented one, a stuck job, a failure,
 * an unreachable cluster, rate limiting and alert deliveries, and the JVM self-metrics.
 */
final class RealisticState {
    static final ClusterKey SHARDED = new ClusterKey(GROUP, "Sharded1");
    static final ClusterKey DOWN = new ClusterKey("6a1b2c3d4e5f6a7b8c9d0e1f", "Reporting");

    private RealisticState() {
    }

    static ExportMetrics build() {
        ExportMetrics metrics = ExportMetrics.create("0.1.0", ApiVersion.V2, WINDOW);

        TrackedJob queued = stuck(replicaSetJob("65a000000000000000000001", "Queued", T0, null, 0, 12), T0);
        TrackedJob running = tracked(replicaSetJob("65a000000000000000000002", "InProgress", at(60), null, 0, 40), at(120));
        TrackedJob ok = tracked(replicaSetJob("65a000000000000000000003", "Successful", at(-7200), at(-3600), 40, 40), at(-3500));
        TrackedJob paused = tracked(replicaSetJob("65a000000000000000000004", "Paused", at(-600), null, 5, 40), at(-300));
        metrics.record(firstPoll(snapshot(CLUSTER0, at(300), queued, running, ok, paused), at(300)));
        TrackedJob runningNow = tracked(replicaSetJob("65a000000000000000000002", "InProgress", at(60), null, 17, 40), at(120));
        TrackedJob failed = tracked(new ExportJob("65a000000000000000000005", "snap-5", "bucket-1", at(400), at(2000),
                "exports/5", "Failed", new ExportJob.StateReason("EXPORT_FAILED", "bucket \"exports\" is not writable"),
                null, new ExportJob.ExportStatus(3, 40), List.of(), List.of()), at(2100));
        metrics.record(polled(snapshot(CLUSTER0, at(2100), queued, runningNow, ok, paused, failed), at(2100),
                new JobEvent.ProgressChanged(CLUSTER0, runningNow, new ExportJob.ExportStatus(0, 40), at(2100)),
                new JobEvent.JobSeen(CLUSTER0, failed, at(2100), false),
                new JobEvent.StuckDetected(CLUSTER0, queued, Duration.ofHours(1), at(2100))));

        TrackedJob shardRunning = tracked(shardedJob("65b000000000000000000001", "InProgress", T0, null), at(30));
        ClusterSnapshot shardedBefore = snapshot(SHARDED, at(300), shardRunning);
        metrics.record(firstPoll(shardedBefore, at(300)));
        TrackedJob shardCancelled = tracked(shardedJob("65b000000000000000000001", "Cancelled", T0, at(1000)), at(1200));
        metrics.record(polled(snapshot(SHARDED, at(1200), shardCancelled), at(1200),
                new JobEvent.StateChanged(SHARDED, shardCancelled, "InProgress", at(1200))));

        metrics.record(failedPoll(ClusterSnapshot.empty(DOWN), at(2100)));

        ExchangeListener api = metrics.exchangeListener();
        String exports = "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports";
        api.onExchange(new Exchange("GET", exports, 401, GROUP));
        api.onExchange(new Exchange("GET", exports, 200, GROUP));
        api.onExchange(new Exchange("GET", exports, 429, DOWN.groupId()));
        api.onExchange(new Exchange("GET", exports, 0, DOWN.groupId()));
        api.onExchange(new Exchange("GET", "/api/atlas/v2/groups", 200, null));

        metrics.alertSent("webhook:hooks.example.com", "AtlasExportJobFailed");
        metrics.alertFailed("slack:hooks.slack.com", "AtlasExportJobStuck");
        metrics.alertQueue("webhook:hooks.example.com", () -> 0);
        metrics.alertQueue("slack:hooks.slack.com", () -> 1);
        return metrics;
    }
}
