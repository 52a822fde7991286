package io.github.atlasexport.remediation;

import io.github.atlasexport.atlas.AtlasApiException;
import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.CreateExportJobRequest;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.RetryMarker;
import io.github.atlasexport.monitor.TrackedJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The I/O shell of {@link RetryDecision}: after a poll of a cluster, looks up the snapshot of each
 * Failed job the decision would retry, commits the intent to the state store and only then POSTs the
 * new export. Never twice: a committed intent whose POST got no answer (a timeout, a crash) is settled
 * by the cluster's list, which shows the retry by its marker, and is given up only once a list taken
 * {@code settle} after it still does not. One pass per cluster at a time; calls go through the shared
 * client, so through the same budget and limits as polls.
 */
public final class Remediator {
    private static final Logger log = LoggerFactory.getLogger(Remediator.class);

    /** Writes the state, intents included; completes once written, errors if not. */
    public interface Commit {
        Mono<Void> commit();
    }

    /** What the runtime does with the results: metrics, the follow-up notice, a save. */
    public interface Listener {
        void outcome(ClusterKey cluster, RemediationOutcome outcome);

        /** The retry of {@code original} exists in Atlas as {@code retryJobId}. */
        void retried(ClusterKey cluster, ExportJob original, String retryJobId);

        /** An intent changed after its commit; to be saved with the next save. */
        void intentsChanged();
    }

    private final AtlasClient client;
    private final Commit commit;
    private final Listener listener;
    private final Duration settle;
    private final Map<String, RetryIntent> intents = new ConcurrentHashMap<>();
    /** The last outcome counted per original job and attempt, so a poll that decides the same again counts nothing. */
    private final Map<String, String> counted = new ConcurrentHashMap<>();
    private final Set<ClusterKey> busy = ConcurrentHashMap.newKeySet();

    /**
     * @param settle   how long after its commit an unanswered POST may still create its job (the
     *                 request timeout): a list older than that does not prove it never will
     * @param restored the intents the state store held
     */
    public Remediator(AtlasClient client, Commit commit, Listener listener, Duration settle,
                      Collection<RetryIntent> restored) {
        this.client = requireNonNull(client, "client must not be null");
        this.commit = requireNonNull(commit, "commit must not be null");
        this.listener = requireNonNull(listener, "listener must not be null");
        this.settle = requireNonNull(settle, "settle must not be null");
        restored.forEach(intent -> intents.put(intent.key(), intent));
    }

    /** The intents to keep in the state store, by document key. */
    public Map<String, RetryIntent> intents() {
        return Map.copyOf(intents);
    }

    /** Forgets the intents of a cluster no longer watched. */
    public void forget(ClusterKey cluster) {
        intents.values().removeIf(intent -> intent.cluster().equals(cluster));
    }

    /**
     * One pass over a freshly polled cluster: settles pending intents, then retries what the policy
     * says, one job after the other. Does nothing while the previous pass of the cluster runs; never errors.
     */
    public Mono<Void> consider(ClusterSnapshot snapshot, MonitorConfig.RetryFailed policy) {
        ClusterKey cluster = snapshot.key();
        if (!policy.enabled() || !busy.add(cluster)) {
            return Mono.empty();
        }
        return Mono.defer(() -> {
                    Instant now = snapshot.observedAt();
                    Collection<TrackedJob> jobs = snapshot.jobs().values();
                    settlePending(cluster, jobs, now);
                    forgetDeparted(cluster, snapshot);
                    return Flux.fromIterable(jobs)
                            .filter(job -> RetryMarker.retryOf(job.job()).isEmpty() && !history(job, snapshot))
                            .concatMap(job -> retry(cluster, job, jobs, now, policy))
                            .then();
                })
                .onErrorResume(error -> {
                    log.error("remediation pass of {} failed; the next poll tries again", cluster, error);
                    return Mono.empty();
                })
                .doFinally(signal -> busy.remove(cluster));
    }

    /**
     * Decides about one job and acts: the outcome, or empty when there is nothing to do (not a job the
     * policy retries, {@code after} not passed yet, an intent still unsettled, one already refused).
     */
    public Mono<RemediationOutcome> retry(ClusterKey cluster, TrackedJob original, Collection<TrackedJob> jobs,
                                          Instant now, MonitorConfig.RetryFailed policy) {
        RetryIntent intent = intents.get(RetryIntent.key(cluster, original.id()));
        if (intent != null && intent.status() != RetryIntent.Status.CREATED) {
            return Mono.empty(); // pending: the list will tell; refused: Atlas said no, once is enough
        }
        int attempts = intent == null ? 0 : intent.attempt();
        RetryDecision first = RetryDecision.decide(original, jobs, true, attempts, now, policy);
        if (first.action() == RetryDecision.Action.SKIP_EXISTS && intent != null) {
            return Mono.empty(); // our own retry covers it (queued, running or done): the normal course
        }
        if (first.action() != RetryDecision.Action.CREATE) {
            return report(cluster, original, first.action(), attempts);
        }
        return client.getSnapshot(cluster.groupId(), cluster.clusterName(), original.job().snapshotId())
                .map(found -> true)
                .onErrorResume(AtlasApiException.class, e -> e.status() == 404 ? Mono.just(false) : Mono.error(e))
                .flatMap(exists -> {
                    RetryDecision decision = RetryDecision.decide(original, jobs, exists, attempts, now, policy);
                    if (decision.action() != RetryDecision.Action.CREATE) {
                        return report(cluster, original, decision.action(), attempts);
                    }
                    if (policy.dryRun()) {
                        log.info("remediation (dry run): would re-create failed export job {} of {} as retry {} of {}",
                                original.id(), cluster, decision.attempt(), policy.maxAttempts());
                        return count(cluster, original, decision.attempt(), RemediationOutcome.DRY_RUN);
                    }
                    return create(cluster, original.job(), decision.attempt(), now);
                })
                .onErrorResume(error -> {
                    log.warn("remediation of failed export job {} of {}: {}", original.id(), cluster, error.toString());
                    return count(cluster, original, attempts + 1, RemediationOutcome.ERROR);
                });
    }

    /** Commit the intent, then POST; the POST's answer, or the lack of one, settles the intent. */
    private Mono<RemediationOutcome> create(ClusterKey cluster, ExportJob original, int attempt, Instant now) {
        RetryIntent intent = RetryIntent.pending(cluster, original.id(), attempt, now);
        intents.put(intent.key(), intent);
        CreateExportJobRequest request = new CreateExportJobRequest(original.snapshotId(), original.exportBucketId(),
                RetryMarker.mark(original.customData(), original.id()));
        return commit.commit()
                .onErrorResume(error -> {
                    intents.remove(intent.key(), intent); // not written: as if never decided, the next poll decides again
                    return Mono.error(new IllegalStateException("intent not saved, nothing sent: " + error, error));
                })
                .publishOn(Schedulers.parallel()) // off the state-writer thread
                .then(Mono.defer(() -> client.createExportJob(cluster.groupId(), cluster.clusterName(), request)))
                .flatMap(created -> {
                    intents.put(intent.key(), intent.created(created.id()));
                    listener.intentsChanged();
                    log.info("remediation: failed export job {} of {} re-created as job {} (retry {})",
                            original.id(), cluster, created.id(), attempt);
                    listener.retried(cluster, original, created.id());
                    return count(cluster, original.id(), attempt, RemediationOutcome.CREATED);
                })
                .onErrorResume(AtlasApiException.class, e -> refused(e) ? refusedBy(cluster, original, intent, e) : Mono.error(e));
    }

    /** A 4xx answer: Atlas created nothing (409: another export holds the snapshot; 404: it or the bucket is gone). */
    private static boolean refused(AtlasApiException e) {
        return e.status() >= 400 && e.status() < 500;
    }

    private Mono<RemediationOutcome> refusedBy(ClusterKey cluster, ExportJob original, RetryIntent intent, AtlasApiException e) {
        intents.put(intent.key(), intent.refused());
        listener.intentsChanged();
        log.warn("remediation: Atlas refused to re-create failed export job {} of {}: {}", original.id(), cluster, e.getMessage());
        RemediationOutcome outcome = switch (e.status()) {
            case 404 -> RemediationOutcome.SKIPPED_SNAPSHOT_GONE;
            case 409 -> RemediationOutcome.SKIPPED_EXISTS;
            default -> RemediationOutcome.ERROR;
        };
        return count(cluster, original.id(), intent.attempt(), outcome);
    }

    /**
     * A pending intent is settled by the list: its retry shows by the marker (then it was created), or
     * it still does not once {@code settle} has passed since the commit (then it never will: dropped,
     * and the job is decided again from what the list shows).
     */
    private void settlePending(ClusterKey cluster, Collection<TrackedJob> jobs, Instant now) {
        for (RetryIntent intent : List.copyOf(intents.values())) {
            if (!intent.cluster().equals(cluster) || intent.status() != RetryIntent.Status.PENDING) {
                continue;
            }
            List<ExportJob> retries = RetryMarker.retriesOf(intent.originalJobId(),
                    jobs.stream().map(TrackedJob::job).toList());
            if (retries.size() >= intent.attempt()) {
                ExportJob newest = retries.stream()
                        .max(Comparator.comparing(ExportJob::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                        .orElseThrow();
                intents.put(intent.key(), intent.created(newest.id()));
                listener.intentsChanged();
                log.info("remediation: the retry of failed export job {} of {} was created after all, as job {}",
                        intent.originalJobId(), cluster, newest.id());
                TrackedJob original = jobs.stream().filter(j -> j.id().equals(intent.originalJobId())).findFirst().orElse(null);
                if (original != null) {
                    listener.retried(cluster, original.job(), newest.id());
                }
                countOnce(cluster, intent.originalJobId(), intent.attempt(), RemediationOutcome.CREATED);
            } else if (!now.isBefore(intent.at().plus(settle))) {
                intents.remove(intent.key(), intent);
                listener.intentsChanged();
                log.info("remediation: the retry {} of failed export job {} of {} was never created; deciding again",
                        intent.attempt(), intent.originalJobId(), cluster);
            }
        }
    }

    /**
     * Already in its state when the monitor first polled the cluster: enabling the policy must not
     * re-create every failure of the history window at once. {@code jobs retry} can. The monitor's own
     * clocks only (first seen, in state since, first poll): Atlas's clock may differ from this machine's.
     */
    private static boolean history(TrackedJob job, ClusterSnapshot snapshot) {
        return snapshot.firstPolledAt() != null && !job.firstSeen().isAfter(snapshot.firstPolledAt())
                && !job.stateSince().isAfter(job.firstSeen());
    }

    /** Intents of jobs the monitor no longer tracks (past the history window) are of no more use. */
    private void forgetDeparted(ClusterKey cluster, ClusterSnapshot snapshot) {
        intents.values().removeIf(intent -> intent.cluster().equals(cluster)
                && intent.status() != RetryIntent.Status.PENDING
                && !snapshot.jobs().containsKey(intent.originalJobId())
                && !snapshot.departed().containsKey(intent.originalJobId()));
    }

    private Mono<RemediationOutcome> report(ClusterKey cluster, TrackedJob original, RetryDecision.Action action, int attempts) {
        RemediationOutcome outcome = switch (action) {
            case SKIP_EXISTS -> RemediationOutcome.SKIPPED_EXISTS;
            case SKIP_SNAPSHOT_GONE -> RemediationOutcome.SKIPPED_SNAPSHOT_GONE;
            case SKIP_ATTEMPTS -> RemediationOutcome.SKIPPED_ATTEMPTS;
            case NOT_APPLICABLE, WAIT, CREATE -> null;
        };
        return outcome == null ? Mono.empty() : count(cluster, original, attempts, outcome);
    }

    private Mono<RemediationOutcome> count(ClusterKey cluster, TrackedJob original, int attempt, RemediationOutcome outcome) {
        return count(cluster, original.id(), attempt, outcome);
    }

    private Mono<RemediationOutcome> count(ClusterKey cluster, String originalId, int attempt, RemediationOutcome outcome) {
        countOnce(cluster, originalId, attempt, outcome);
        return Mono.just(outcome);
    }

    /** Counts an outcome the first time it is decided for this original and attempt; an error every time. */
    private void countOnce(ClusterKey cluster, String originalId, int attempt, RemediationOutcome outcome) {
        String key = RetryIntent.key(cluster, originalId);
        String value = attempt + "/" + outcome.label();
        if (outcome == RemediationOutcome.ERROR || !value.equals(counted.put(key, value))) {
            listener.outcome(cluster, outcome);
        }
    }
}
