package io.github.atlasexport.metrics;

import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.JobEvent;
import io.github.atlasexport.monitor.Observation;
import io.github.atlasexport.monitor.TrackedJob;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Hand-built monitor values for the metrics tests: what the poller and differ would hand over. */
final class Fixtures {
    static final String GROUP = "5f0a1b2c3d4e5f6a7b8c9d0e";
    static final ClusterKey CLUSTER0 = new ClusterKey(GROUP, "Cluster0");
    /** 2023-11-14T22:13:20Z, rendered as 1.7E9. */
    static final Instant T0 = Instant.ofEpochSecond(1_700_000_000L);
    static final Duration WINDOW = Duration.ofDays(7);

    private Fixtures() {
    }

    /** Metrics on a bare registry: the scrape holds only atlas_export_* metrics. */
    static ExportMetrics bareMetrics() {
        return new ExportMetrics("1.2.3", ApiVersion.V2, WINDOW, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    static Instant at(long secondsAfterT0) {
        return T0.plusSeconds(secondsAfterT0);
    }

    static ExportJob replicaSetJob(String id, String state, Instant createdAt, Instant finishedAt, int exported, int total) {
        return new ExportJob(id, "snap-" + id, "bucket-1", createdAt, finishedAt, "exports/" + id, state,
                null, null, new ExportJob.ExportStatus(exported, total), List.of(), List.of());
    }

    static ExportJob shardedJob(String id, String state, Instant createdAt, Instant finishedAt) {
        return new ExportJob(id, "snap-" + id, "bucket-2", createdAt, finishedAt, "exports/" + id, state,
                null, null, null,
                List.of(new ExportJob.Component("c-" + id + "-0", "shard-0"), new ExportJob.Component("c-" + id + "-1", "shard-1")),
                List.of());
    }

    static TrackedJob tracked(ExportJob job, Instant stateSince) {
        return new TrackedJob(job, stateSince, stateSince, stateSince, false);
    }

    static TrackedJob stuck(ExportJob job, Instant stateSince) {
        return new TrackedJob(job, stateSince, stateSince, stateSince, true);
    }

    static ClusterSnapshot snapshot(ClusterKey key, Instant observedAt, TrackedJob... jobs) {
        return new ClusterSnapshot(key, Arrays.stream(jobs).collect(Collectors.toMap(TrackedJob::id, Function.identity())),
                observedAt);
    }

    /** A successful poll at {@code at} that took 1.5 s. */
    static Observation polled(ClusterSnapshot snapshot, Instant at, JobEvent... events) {
        return new Observation(snapshot.key(), at, Duration.ofMillis(1500), null, snapshot, List.of(events));
    }

    /** The first successful poll of a cluster: every job is a baseline sighting. */
    static Observation firstPoll(ClusterSnapshot snapshot, Instant at) {
        return polled(snapshot, at, snapshot.jobs().values().stream()
                .map(j -> new JobEvent.JobSeen(snapshot.key(), j, at, true))
                .toArray(JobEvent[]::new));
    }

    static Observation failedPoll(ClusterSnapshot previous, Instant at) {
        return new Observation(previous.key(), at, Duration.ofSeconds(30),
                new IllegalStateException("Atlas answered 503"), previous, List.of());
    }

    /** The sample lines of {@code text} that start with {@code prefix} (a regular expression), in order. */
    static List<String> lines(String text, String prefix) {
        Pattern start = Pattern.compile("^" + prefix.replace("{", "\\{"));
        return text.lines().filter(l -> start.matcher(l).lookingAt()).toList();
    }
}
