package io.github.atlasexport.coverage;

import io.github.atlasexport.atlas.AtlasApiException;
import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.ExportBucket;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.Snapshot;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.TrackedJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The I/O shell around {@link CoverageRules}: per project, every {@code interval}, its export buckets,
 * then each watched cluster's backup schedule and snapshots, one request at a time (so a project's
 * coverage never holds more than one of the in-flight permits its job polls share), then the rules
 * over what was read and the jobs the poll loops last listed. Each read fails on its own: a failed
 * cluster is reported failed and the round goes on; a 403 on snapshots (the API key lacks the role)
 * ends the project's coverage with one warning, and job monitoring goes on.
 */
public final class CoverageLoop {
    private static final Logger log = LoggerFactory.getLogger(CoverageLoop.class);

    private final AtlasClient client;
    private final Options options;
    private final Supplier<List<ClusterSnapshot>> clusters;
    private final Scheduler scheduler;
    /** The policy each cluster has and when this run saw it change to it (see {@link CoverageRules#assess}). */
    private final Map<ClusterKey, PolicySeen> policies = new ConcurrentHashMap<>();

    /**
     * @param interval   between two rounds of a project
     * @param firstDelay before the first round (the poll loops should have listed the jobs by then)
     * @param timeout    a whole round at most: a hanging read never stops the next round
     * @param grace      {@code alerts.overdue.grace}
     * @param failingAfter {@code alerts.bucketFailing.after}
     */
    public record Options(Duration interval, Duration firstDelay, Duration timeout, Duration grace, int failingAfter) {
        public Options {
            requireNonNull(interval, "interval must not be null");
            requireNonNull(firstDelay, "firstDelay must not be null");
            requireNonNull(timeout, "timeout must not be null");
            requireNonNull(grace, "grace must not be null");
        }
    }

    /**
     * @param clusters the watched clusters as the poll loops last saw them (jobs, first poll); read each round
     */
    public CoverageLoop(AtlasClient client, Options options, Supplier<List<ClusterSnapshot>> clusters, Scheduler scheduler) {
        this.client = requireNonNull(client, "client must not be null");
        this.options = requireNonNull(options, "options must not be null");
        this.clusters = requireNonNull(clusters, "clusters must not be null");
        this.scheduler = requireNonNull(scheduler, "scheduler must not be null");
    }

    /** Rounds of every project, as they end; never errors, ends only for projects whose coverage Atlas refuses. */
    public Flux<CoverageReport> reports(Collection<String> groupIds) {
        return Flux.fromIterable(List.copyOf(groupIds)).flatMap(this::project, Math.max(1, groupIds.size()));
    }

    private Flux<CoverageReport> project(String groupId) {
        return Flux.interval(options.firstDelay(), options.interval(), scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> round(groupId), 1)
                .takeUntil(CoverageReport::disabled);
    }

    /** One round of a project; whatever fails inside, it ends in a report. */
    Mono<CoverageReport> round(String groupId) {
        List<ClusterSnapshot> watched = clusters.get().stream()
                .filter(snapshot -> snapshot.key().groupId().equals(groupId) && snapshot.firstPolledAt() != null)
                .toList();
        Mono<Optional<List<ExportBucket>>> buckets = client.listExportBuckets(groupId).collectList()
                .map(Optional::of)
                .onErrorResume(error -> {
                    log.info("could not list the export buckets of project {}: {}", groupId, error.toString());
                    return Mono.just(Optional.empty());
                });
        return buckets.flatMap(listed -> Flux.fromIterable(watched)
                        .concatMap(this::cluster)
                        .collectList()
                        .map(outcomes -> report(groupId, watched, listed, outcomes)))
                .timeout(options.timeout(), scheduler)
                .onErrorResume(error -> {
                    log.info("coverage round of project {} did not end in time: {}", groupId, error.toString());
                    return Mono.just(new CoverageReport(groupId, now(), List.of(),
                            watched.stream().map(ClusterSnapshot::key).toList(), null, List.of(), false));
                });
    }

    private CoverageReport report(String groupId, List<ClusterSnapshot> watched, Optional<List<ExportBucket>> buckets,
                                  List<Outcome> outcomes) {
        List<ClusterCoverage> covered = new ArrayList<>();
        List<ClusterKey> failed = new ArrayList<>();
        boolean disabled = false;
        for (Outcome outcome : outcomes) {
            if (outcome.coverage() != null) {
                covered.add(outcome.coverage());
            } else {
                failed.add(outcome.cluster());
                disabled |= outcome.forbidden();
            }
        }
        if (disabled) {
            log.warn("Atlas refuses the backup schedule or snapshots of project {} (403: the API key needs the "
                    + "Project Backup Manager role or better): export coverage is off for this project until restart; "
                    + "export jobs are still watched", groupId);
        }
        List<ExportJob> jobs = watched.stream()
                .flatMap(snapshot -> snapshot.jobs().values().stream())
                .map(TrackedJob::job)
                .toList();
        return new CoverageReport(groupId, now(), covered, failed, buckets.orElse(null),
                CoverageRules.buckets(groupId, jobs, options.failingAfter()), disabled);
    }

    private Mono<Outcome> cluster(ClusterSnapshot snapshot) {
        ClusterKey key = snapshot.key();
        List<ExportJob> jobs = snapshot.jobs().values().stream().map(TrackedJob::job).toList();
        return client.getBackupSchedule(key.groupId(), key.clusterName())
                .map(ExportPolicy::of)
                .zipWhen(policy -> snapshots(client, key, jobs.stream().anyMatch(ExportJob::sharded)))
                .map(read -> {
                    Instant now = now();
                    Instant changedAt = policyChangedAt(key, read.getT1(), now);
                    return new Outcome(key, CoverageRules.assess(key, read.getT1(), snapshot.firstPolledAt(), changedAt,
                            read.getT2(), jobs, now, options.grace()), false);
                })
                .onErrorResume(error -> {
                    log.debug("coverage read of {} failed: {}", key, error.toString());
                    return Mono.just(new Outcome(key, null,
                            error instanceof AtlasApiException atlas && atlas.status() == 403));
                });
    }

    /**
     * The replica-set list, or the sharded one for a cluster whose jobs are sharded or whose
     * replica-set list is empty: one request a round for either kind once its jobs show which it is.
     */
    public static Mono<List<Snapshot>> snapshots(AtlasClient client, ClusterKey key, boolean shardedJobs) {
        Mono<List<Snapshot>> replicaSet = client.listSnapshots(key.groupId(), key.clusterName(), false).collectList();
        Mono<List<Snapshot>> sharded = Mono.defer(() ->
                client.listSnapshots(key.groupId(), key.clusterName(), true).collectList());
        return shardedJobs ? sharded : replicaSet.flatMap(list -> list.isEmpty() ? sharded : Mono.just(list));
    }

    /**
     * When this run saw the cluster's policy change to the current one, or null for a policy in force
     * since the first round (whose deadline then comes from Atlas's data alone, the same after a restart).
     */
    private Instant policyChangedAt(ClusterKey key, ExportPolicy policy, Instant now) {
        return policies.compute(key, (k, seen) -> seen == null ? new PolicySeen(policy, null)
                : seen.policy().equals(policy) ? seen : new PolicySeen(policy, now)).since();
    }

    private Instant now() {
        return Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS));
    }

    private record PolicySeen(ExportPolicy policy, Instant since) {
    }

    /** A cluster's round: its coverage, or null when a read failed ({@code forbidden}: with a 403). */
    private record Outcome(ClusterKey cluster, ClusterCoverage coverage, boolean forbidden) {
    }
}
