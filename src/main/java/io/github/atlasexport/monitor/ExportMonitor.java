package io.github.atlasexport.monitor;

import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.config.MonitorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Polls every target cluster on its own schedule and emits one {@link Observation} per poll.
 * Targets with {@code clusters: "*"} are rediscovered periodically; clusters that appear get a
 * poll loop, clusters that disappear lose theirs and are reported to {@code onClusterGone}. So are
 * clusters of the saved state ({@code initial}) that are no longer there when the monitor starts:
 * deleted, or taken out of the config, while it was down. Every discovery, ok or not, goes to
 * {@code onDiscovery}.
 *
 * <p>Each cluster loop is idle most of the time, so they are merged without a cap; the number of
 * Atlas requests actually in flight is bounded by the client ({@code maxConcurrency}). Polls due
 * together (every cluster at start) wait for a slot before they are subscribed ({@link PollSlots}).
 *
 * <p>Loops are supervised: a poll failure is a failed observation, and a loop that still ends (a bug,
 * a value nobody expected) emits a failed observation of its cluster naming the cause, then restarts
 * after a backoff ({@link #loopRestarts()}). Nothing one target does can end another target's loop.
 */
public final class ExportMonitor {
    private static final Logger log = LoggerFactory.getLogger(ExportMonitor.class);
    /** A loop that ended waits this long before its first restart; the wait doubles while it keeps ending. */
    static final Duration RESTART_MIN_BACKOFF = Duration.ofSeconds(1);
    static final Duration RESTART_MAX_BACKOFF = Duration.ofMinutes(5);
    /**
     * Polling counts as stopped when no loop ticked for this many of the longest interval (and at
     * least {@link #MIN_STALL}): a slow, retried, rate-limited poll must not read as a stalled monitor.
     */
    static final int STALL_INTERVALS = 10;
    static final Duration MIN_STALL = Duration.ofMinutes(15);

    private final AtlasClient client;
    private final ClusterPoller poller;
    private final List<MonitorConfig.Target> targets;
    /**
     * Saved snapshots not yet handed to their cluster's loop. Each is removed when its loop starts:
     * kept, they would double the heap the jobs take (the loop keeps a newer snapshot after one poll).
     */
    private final Map<ClusterKey, ClusterSnapshot> initial;
    private final Scheduler clock;
    private final Duration rediscoverEvery;
    private final DoubleSupplier random;
    private final Consumer<ClusterKey> onClusterGone;
    private final Consumer<Discovery> onDiscovery;
    private final Duration stallAfter;
    /** This replica's shard: clusters of other shards are neither polled nor reported. */
    private final Predicate<ClusterKey> owned;
    private final PollSlots pollSlots;

    private final Set<ClusterKey> awaitingFirstPoll = ConcurrentHashMap.newKeySet();
    /** Projects whose clusters were neither listed nor tried to be discovered yet. */
    private final Set<String> untriedTargets = ConcurrentHashMap.newKeySet();
    private final AtomicLong loopRestarts = new AtomicLong();
    private final AtomicLong lastTickMillis;

    public ExportMonitor(AtlasClient client, List<MonitorConfig.Target> targets, Map<ClusterKey, ClusterSnapshot> initial,
                         Scheduler clock, Duration rediscoverEvery, DoubleSupplier random,
                         Consumer<ClusterKey> onClusterGone, Consumer<Discovery> onDiscovery) {
        this(client, targets, initial, clock, rediscoverEvery, random, onClusterGone, onDiscovery, key -> true,
                Integer.MAX_VALUE);
    }

    /**
     * @param owned       true for the clusters this replica watches (its shard); the others are left alone
     * @param pollsAtOnce how many polls may run at once (a few times the client's {@code maxConcurrency},
     *                    so that the client always has a request ready to send)
     */
    public ExportMonitor(AtlasClient client, List<MonitorConfig.Target> targets, Map<ClusterKey, ClusterSnapshot> initial,
                         Scheduler clock, Duration rediscoverEvery, DoubleSupplier random,
                         Consumer<ClusterKey> onClusterGone, Consumer<Discovery> onDiscovery,
                         Predicate<ClusterKey> owned, int pollsAtOnce) {
        this.owned = requireNonNull(owned, "owned must not be null");
        this.pollSlots = new PollSlots(pollsAtOnce);
        this.client = requireNonNull(client, "client must not be null");
        this.poller = new ClusterPoller(client, clock);
        this.targets = List.copyOf(targets);
        this.initial = new ConcurrentHashMap<>(initial);
        this.clock = requireNonNull(clock, "clock must not be null");
        this.rediscoverEvery = requireNonNull(rediscoverEvery, "rediscoverEvery must not be null");
        this.random = requireNonNull(random, "random must not be null");
        this.onClusterGone = requireNonNull(onClusterGone, "onClusterGone must not be null");
        this.onDiscovery = requireNonNull(onDiscovery, "onDiscovery must not be null");
        this.targets.forEach(target -> untriedTargets.add(target.groupId()));
        this.stallAfter = stallAfter(this.targets, rediscoverEvery);
        this.lastTickMillis = new AtomicLong(clock.now(TimeUnit.MILLISECONDS));
    }

    /** Cold: each subscription starts the loops. Subscribe once. */
    public Flux<Observation> observations() {
        return Flux.defer(() -> {
            Set<String> targeted = new HashSet<>();
            targets.forEach(target -> targeted.add(target.groupId()));
            initial.keySet().stream()
                    .map(ClusterKey::groupId)
                    .filter(groupId -> !targeted.contains(groupId))
                    .distinct()
                    .forEach(groupId -> forgetMissing(groupId, Set.of()));
            return Flux.fromIterable(targets).flatMap(target -> supervised("targets of project " + target.groupId(),
                    () -> targetObservations(target), error -> Mono.empty()), Math.max(1, targets.size()));
        });
    }

    /**
     * True once every target was tried: its clusters listed or discovered (or the discovery tried
     * and failed), and each cluster found polled once (ok or not). Not that any of it succeeded.
     */
    public boolean ready() {
        return untriedTargets.isEmpty() && awaitingFirstPoll.isEmpty();
    }

    /**
     * False when no loop ticked (a poll or a discovery, ok or not) for {@link #STALL_INTERVALS} times
     * the longest interval configured: the loops are stuck, whatever Atlas answers.
     */
    public boolean polling() {
        return clock.now(TimeUnit.MILLISECONDS) - lastTickMillis.get() <= stallAfter.toMillis();
    }

    /** How many times a loop ended unexpectedly and was restarted. */
    public long loopRestarts() {
        return loopRestarts.get();
    }

    private static Duration stallAfter(List<MonitorConfig.Target> targets, Duration rediscoverEvery) {
        Duration longest = Duration.ZERO;
        for (MonitorConfig.Target target : targets) {
            longest = max(longest, max(target.poll().interval(), target.poll().activeInterval()));
            if (target.discoverAll()) {
                longest = max(longest, rediscoverEvery);
            }
        }
        return max(MIN_STALL, longest.multipliedBy(STALL_INTERVALS));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private void tick() {
        lastTickMillis.set(clock.now(TimeUnit.MILLISECONDS));
    }

    /**
     * Runs {@code loop} for ever: when it ends (by an error or by completing, neither of which a loop
     * should do) {@code report} turns the cause into what to emit about it, and the loop starts again
     * after a backoff that grows while it keeps ending without emitting anything in between.
     */
    private Flux<Observation> supervised(String name, Supplier<Flux<Observation>> loop,
                                         Function<Throwable, Mono<Observation>> report) {
        AtomicInteger endsInARow = new AtomicInteger();
        return Flux.defer(loop)
                .doOnNext(observation -> endsInARow.set(0))
                .onErrorResume(error -> {
                    log.error("{}: loop failed; restarting it", name, error);
                    return report.apply(error);
                })
                .concatWith(Mono.defer(() -> {
                    loopRestarts.incrementAndGet();
                    Duration backoff = restartBackoff(endsInARow.getAndIncrement());
                    log.warn("{}: loop ended; restarting it in {} ms", name, backoff.toMillis());
                    return Mono.delay(backoff, clock).then(Mono.empty());
                }))
                .repeat();
    }

    static Duration restartBackoff(int endsInARow) {
        Duration backoff = RESTART_MIN_BACKOFF.multipliedBy(1L << Math.min(endsInARow, 20));
        return backoff.compareTo(RESTART_MAX_BACKOFF) > 0 ? RESTART_MAX_BACKOFF : backoff;
    }

    private Flux<Observation> targetObservations(MonitorConfig.Target target) {
        Flux<Set<ClusterKey>> clusterSets = clusterSets(target).replay(1).autoConnect();
        return Flux.defer(() -> {
            Set<ClusterKey> running = new HashSet<>();
            AtomicInteger resolved = new AtomicInteger();
            return clusterSets
                    .doOnNext(set -> {
                        if (untriedTargets.contains(target.groupId())) {
                            awaitingFirstPoll.addAll(set); // before the target counts as tried: never ready too soon
                            untriedTargets.remove(target.groupId());
                        }
                        if (resolved.getAndIncrement() == 0) {
                            forgetMissing(target.groupId(), set);
                        }
                    })
                    .concatMapIterable(set -> arrivals(running, set))
                    .flatMap(key -> clusterLoop(target, key)
                            .takeUntilOther(clusterSets.filter(set -> !set.contains(key)).next()
                                    .doOnNext(set -> onClusterGone.accept(key))),
                            Integer.MAX_VALUE);
        });
    }

    /**
     * Reports the saved clusters of a project that are not in {@code current}. No loop ever runs for
     * them, so this is the only place that can; otherwise their jobs and alerts would linger forever.
     */
    private void forgetMissing(String groupId, Set<ClusterKey> current) {
        initial.keySet().stream()
                .filter(key -> key.groupId().equals(groupId) && !current.contains(key))
                .sorted()
                .forEach(onClusterGone);
    }

    /** Keys in {@code set} that have no loop yet; updates {@code running} to match {@code set}. */
    private static List<ClusterKey> arrivals(Set<ClusterKey> running, Set<ClusterKey> set) {
        List<ClusterKey> added = set.stream().filter(key -> !running.contains(key)).toList();
        running.retainAll(set);
        running.addAll(added);
        return added;
    }

    private Flux<Set<ClusterKey>> clusterSets(MonitorConfig.Target target) {
        if (!target.discoverAll()) {
            Set<ClusterKey> keys = new LinkedHashSet<>();
            target.clusters().stream()
                    .map(name -> new ClusterKey(target.groupId(), name))
                    .filter(owned)
                    .forEach(keys::add);
            return Flux.just(Set.copyOf(keys)).concatWith(Flux.never());
        }
        // Until one discovery succeeds there is nothing to poll: retry it at the active interval
        // instead of leaving the project unwatched for a whole round.
        Mono<Set<ClusterKey>> first = discover(target.groupId())
                .repeatWhenEmpty(attempts -> attempts.concatMap(attempt -> Mono.delay(target.poll().activeInterval(), clock)));
        return first.concatWith(Flux.interval(rediscoverEvery, rediscoverEvery, clock)
                .onBackpressureDrop()
                .concatMap(tick -> discover(target.groupId()), 1));
    }

    /** The project's clusters of this shard; empty when the discovery failed (the next round may succeed). */
    private Mono<Set<ClusterKey>> discover(String groupId) {
        // Deferred: a client that rejects its arguments by throwing fails this discovery, not the loop.
        return Mono.defer(() -> client.listClusters(groupId)
                        .map(cluster -> new ClusterKey(groupId, cluster.name()))
                        .filter(owned)
                        .collect(Collectors.toUnmodifiableSet()))
                .map(keys -> {
                    log.debug("project {}: {} clusters discovered", groupId, keys.size());
                    discovered(new Discovery(groupId, now(), null));
                    return keys;
                })
                .onErrorResume(error -> {
                    // Reported by whoever receives the Discovery, once when it starts failing rather than every round.
                    log.debug("project {}: cluster discovery failed: {}", groupId, error.toString());
                    discovered(new Discovery(groupId, now(), error));
                    untriedTargets.remove(groupId); // tried: readiness does not wait for Atlas to recover
                    return Mono.empty();
                });
    }

    private void discovered(Discovery discovery) {
        tick();
        try {
            onDiscovery.accept(discovery);
        } catch (RuntimeException e) {
            // Not the discovery's failure: reporting it as one would hide the clusters it found.
            log.error("could not handle the discovery of project {}; discovery goes on", discovery.groupId(), e);
        }
    }

    /** The poll loop of one cluster, supervised; its last snapshot outlives a restart, so no job is seen anew. */
    private Flux<Observation> clusterLoop(MonitorConfig.Target target, ClusterKey key) {
        return Flux.defer(() -> {
            ClusterSnapshot saved = initial.remove(key);
            AtomicReference<ClusterSnapshot> last = new AtomicReference<>(
                    saved != null ? saved : ClusterSnapshot.empty(key));
            return supervised("poll loop of " + key, () -> pollLoop(target, key, last),
                    error -> Mono.fromSupplier(() -> new Observation(key, now(), Duration.ZERO,
                            new IllegalStateException("poll loop failed and is restarted: " + error, error),
                            last.get(), List.of())));
        });
    }

    private Flux<Observation> pollLoop(MonitorConfig.Target target, ClusterKey key, AtomicReference<ClusterSnapshot> last) {
        AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
        return Mono.defer(() -> Mono.delay(delay.get(), clock)
                        .then(pollSlots.run(key.groupId(),
                                () -> poller.poll(last.get(), target.stuck(), target.poll().historyWindow()))))
                .doOnNext(observation -> {
                    tick();
                    awaitingFirstPoll.remove(key);
                    delay.set(PollSchedule.nextDelay(observation.snapshot(), target.poll(), random));
                    // Last: should anything above throw, the restarted loop diffs against the old
                    // snapshot again and finds this poll's events once more, instead of losing them.
                    last.set(observation.snapshot());
                })
                .repeat();
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.now(TimeUnit.MILLISECONDS));
    }
}
