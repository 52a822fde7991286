package io.github.atlasexport.monitor;

import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.config.MonitorConfig;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One poll of one cluster: list every job, diff against the previous snapshot. A failed poll is a
 * value ({@link Observation#error()}), never an error signal, so one bad cluster cannot end the stream.
 */
public final class ClusterPoller {
    private final AtlasClient client;
    private final Scheduler clock;

    public ClusterPoller(AtlasClient client, Scheduler clock) {
        this.client = requireNonNull(client, "client must not be null");
        this.clock = requireNonNull(clock, "clock must not be null");
    }

    public Mono<Observation> poll(ClusterSnapshot previous, MonitorConfig.Stuck thresholds) {
        ClusterKey key = previous.key();
        return Mono.defer(() -> {
            long startedNanos = System.nanoTime();
            // Deferred too: a client that rejects a name by throwing (a discovered cluster named
            // outside Atlas's pattern) fails this poll, not the loop.
            return Flux.defer(() -> client.listExportJobs(key.groupId(), key.clusterName()))
                    .collectList()
                    .map(jobs -> succeeded(previous, jobs, thresholds, startedNanos))
                    .onErrorResume(error -> Mono.just(failed(previous, error, startedNanos)));
        });
    }

    private Observation succeeded(ClusterSnapshot previous, List<io.github.atlasexport.atlas.ExportJob> jobs,
                                  MonitorConfig.Stuck thresholds, long startedNanos) {
        Instant now = now();
        DiffResult diff = ExportJobDiffer.diff(previous, jobs, now, thresholds);
        return new Observation(previous.key(), now, since(startedNanos), null, diff.snapshot(), diff.events());
    }

    private Observation failed(ClusterSnapshot previous, Throwable error, long startedNanos) {
        return new Observation(previous.key(), now(), since(startedNanos), error, previous, List.of());
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.now(TimeUnit.MILLISECONDS));
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
