package io.github.atlasexport.monitor;

import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.config.MonitorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One poll of one cluster: list every job, diff against the previous snapshot. A failed poll is a
 * value ({@link Observation#error()}), never an error signal, so one bad cluster cannot end the stream.
 *
 * <p>A list that lacks most of the jobs known a moment ago, or is empty while jobs were known, is more
 * likely a hiccup (a page lost, a shifted page) than a mass departure: it is listed once more at
 * once, and the second list is the one believed.
 */
public final class ClusterPoller {
    private static final Logger log = LoggerFactory.getLogger(ClusterPoller.class);

    private final AtlasClient client;
    private final Scheduler clock;
    /** States outside the documented five already logged: each is worth one line, not one per poll. */
    private final Set<String> unknownStatesSeen = ConcurrentHashMap.newKeySet();

    public ClusterPoller(AtlasClient client, Scheduler clock) {
        this.client = requireNonNull(client, "client must not be null");
        this.clock = requireNonNull(clock, "clock must not be null");
    }

    /**
     * @param memory how long a job missing from the list is remembered (the history window), see
     *               {@link ExportJobDiffer#diff}
     */
    public Mono<Observation> poll(ClusterSnapshot previous, MonitorConfig.Stuck thresholds, Duration memory) {
        ClusterKey key = previous.key();
        return Mono.defer(() -> {
            long startedNanos = System.nanoTime();
            return list(key)
                    .flatMap(jobs -> {
                        if (!suspect(previous, jobs)) {
                            return Mono.just(jobs);
                        }
                        log.info("{}: the list has {} jobs where {} were known; listing again before believing it",
                                key, jobs.size(), previous.jobs().size());
                        return list(key);
                    })
                    .map(jobs -> succeeded(previous, jobs, thresholds, memory, startedNanos))
                    .onErrorResume(error -> Mono.just(failed(previous, error, startedNanos)));
        });
    }

    /**
     * Deferred: a client that rejects a name by throwing (a discovered cluster named outside Atlas's
     * pattern) fails this poll, not the loop.
     */
    private Mono<List<ExportJob>> list(ClusterKey key) {
        return Mono.defer(() -> client.listExportJobs(key.groupId(), key.clusterName()).collectList());
    }

    /** Empty while jobs were known, or lacking at least half of the jobs known. */
    static boolean suspect(ClusterSnapshot previous, List<ExportJob> listed) {
        int known = previous.jobs().size();
        if (known == 0) {
            return false;
        }
        Set<String> ids = new HashSet<>();
        for (ExportJob job : listed) {
            if (job != null && job.id() != null && previous.jobs().containsKey(job.id())) {
                ids.add(job.id());
            }
        }
        int missing = known - ids.size();
        return listed.isEmpty() || missing * 2 >= known;
    }

    private Observation succeeded(ClusterSnapshot previous, List<ExportJob> jobs, MonitorConfig.Stuck thresholds,
                                  Duration memory, long startedNanos) {
        Instant now = now();
        jobs.forEach(job -> noteUnknownState(previous.key(), job));
        DiffResult diff = ExportJobDiffer.diff(previous, jobs, now, thresholds, memory);
        return new Observation(previous.key(), now, since(startedNanos), null, diff.snapshot(), diff.events());
    }

    private void noteUnknownState(ClusterKey key, ExportJob job) {
        String state = job.state();
        if (state != null && !ExportState.isDocumented(state) && unknownStatesSeen.add(state)) {
            log.warn("{}: job {} is in state '{}', which Atlas has not documented; it is taken as {} (logged once per state)",
                    key, job.id(), state, job.terminal() ? "ended, having finishedAt" : "active until it has finishedAt");
        }
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
