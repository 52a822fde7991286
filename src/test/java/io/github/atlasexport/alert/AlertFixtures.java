package io.github.atlasexport.alert;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.DepartedJob;
import io.github.atlasexport.monitor.JobEvent;
import io.github.atlasexport.monitor.Observation;
import io.github.atlasexport.monitor.TrackedJob;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Jobs, observations and configs for the alert tests. */
final class AlertFixtures {
    static final String GROUP = "5f0a1b2c3d4e5f6a7b8c9d0e";
    static final ClusterKey CLUSTER = new ClusterKey(GROUP, "Cluster0");
    static final ClusterKey OTHER = new ClusterKey(GROUP, "Sharded1");
    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    static final MonitorConfig.Stuck STUCK = new MonitorConfig.Stuck(Duration.ofHours(6), Duration.ofHours(1), "warning");
    static final MonitorConfig.Alerts ALERTS = alerts(true, true, Duration.ZERO, Duration.ofMinutes(10));

    private AlertFixtures() {
    }

    static MonitorConfig.Alerts alerts(boolean failed, boolean cancelled, Duration noRecentSuccess, Duration targetDown) {
        return new MonitorConfig.Alerts(new MonitorConfig.Toggle(failed, "critical"),
                new MonitorConfig.Toggle(cancelled, "warning"), STUCK,
                new MonitorConfig.Threshold(noRecentSuccess, "warning"),
                new MonitorConfig.Threshold(targetDown, "warning"), List.of());
    }

    static ExportJob job(String id, String state) {
        return new ExportJob(id, "snap-" + id, "bucket-1", T0.minus(Duration.ofHours(3)), null, "exports/" + id,
                state, null, null, new ExportJob.ExportStatus(3, 10), null, null);
    }

    static ExportJob failedJob(String id) {
        return new ExportJob(id, "snap-" + id, "bucket-1", T0.minus(Duration.ofHours(3)),
                T0.minus(Duration.ofMinutes(47)), "exports/" + id, "Failed",
                new ExportJob.StateReason("EXPORT_FAILED", "Access denied to bucket"), null,
                new ExportJob.ExportStatus(3, 10), null, null);
    }

    static ExportJob successful(String id, Instant finishedAt) {
        return new ExportJob(id, "snap-" + id, "bucket-1", finishedAt.minus(Duration.ofHours(1)), finishedAt,
                "exports/" + id, "Successful", null, null, new ExportJob.ExportStatus(10, 10), null, null);
    }

    static TrackedJob tracked(ExportJob job) {
        return new TrackedJob(job, T0.minus(Duration.ofHours(3)), T0.minus(Duration.ofHours(2)),
                T0.minus(Duration.ofHours(2)), false);
    }

    static Observation ok(ClusterKey cluster, Instant at, List<JobEvent> events, ExportJob... jobs) {
        ClusterSnapshot snapshot = new ClusterSnapshot(cluster, Arrays.stream(jobs).map(AlertFixtures::tracked)
                .collect(Collectors.toMap(TrackedJob::id, Function.identity())), at);
        return new Observation(cluster, at, Duration.ofMillis(120), null, snapshot, events);
    }

    static Observation ok(Instant at, List<JobEvent> events, ExportJob... jobs) {
        return ok(CLUSTER, at, events, jobs);
    }

    /** The jobs are missing from the latest list (and listed in no other), still remembered by the differ. */
    static Observation departed(Instant at, List<JobEvent> events, ExportJob... jobs) {
        ClusterSnapshot snapshot = new ClusterSnapshot(CLUSTER, Map.of(), at, at, Arrays.stream(jobs)
                .collect(Collectors.toMap(ExportJob::id, job -> new DepartedJob(tracked(job), at))));
        return new Observation(CLUSTER, at, Duration.ofMillis(120), null, snapshot, events);
    }

    /** The rule state of a cluster the monitor first looked at {@code since}. */
    static AlertState watchedSince(Instant since) {
        return new AlertState(Map.of(), Set.of(), List.of(new AlertState.ClusterTimes(CLUSTER, since, null)));
    }

    static Observation failed(Instant at) {
        return new Observation(CLUSTER, at, Duration.ofSeconds(30), new IOException("Connection refused"),
                ClusterSnapshot.empty(CLUSTER), List.of());
    }

    static JobEvent.StateChanged changed(ExportJob job, String from, Instant at) {
        return new JobEvent.StateChanged(CLUSTER, tracked(job), from, at);
    }

    static JobEvent.JobSeen seen(ExportJob job, boolean baseline, Instant at) {
        return new JobEvent.JobSeen(CLUSTER, tracked(job), at, baseline);
    }

    static JobEvent.StuckDetected stuck(ExportJob job, Duration inState, Instant at) {
        return new JobEvent.StuckDetected(CLUSTER, tracked(job), inState, at);
    }

    static JobEvent.JobLeft left(ExportJob job, Instant at) {
        return new JobEvent.JobLeft(CLUSTER, tracked(job), at);
    }

    /** A firing Failed notice as the rules make it. */
    static AlertNotice failedNotice() {
        ExportJob job = failedJob("6a3f1b2c3d4e5f6a7b8c9d01");
        return AlertRules.evaluate(AlertState.empty(), ok(T0, List.of(changed(job, "InProgress", T0)), job), T0,
                ALERTS, STUCK).notices().get(0);
    }
}
