package io.github.atlasexport.monitor;

import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.config.MonitorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Polls every target cluster on its own schedule and emits one {@link Observation} per poll.
 * Targets with {@code clusters: "*"} are rediscovered periodically; clusters that appear get a
 * poll loop, clusters that disappear lose theirs and are reported to {@code onClusterGone}. So are
 * clusters of the saved state ({@code initial}) that are no longer there when the monitor starts:
 * deleted, or taken out of the config, while it was down.
 *
 * <p>Each cluster loop is idle most of the time, so they are merged without a cap; the number of
 * Atlas requests actually in flight is bounded by the client ({@code maxConcurrency}).
 */
public final class ExportMonitor {
    private static final Logger log = LoggerFactory.getLogger(ExportMonitor.class);

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

    private final Set<ClusterKey> awaitingFirstPoll = ConcurrentHashMap.newKeySet();
    private final AtomicInteger unresolvedTargets;

    public ExportMonitor(AtlasClient client, List<MonitorConfig.Target> targets, Map<ClusterKey, ClusterSnapshot> initial,
                         Scheduler clock, Duration rediscoverEvery, DoubleSupplier random,
                         Consumer<ClusterKey> onClusterGone) {
        this.client = requireNonNull(client, "client must not be null");
        this.poller = new ClusterPoller(client, clock);
        this.targets = List.copyOf(targets);
        this.initial = new ConcurrentHashMap<>(initial);
        this.clock = requireNonNull(clock, "clock must not be null");
        this.rediscoverEvery = requireNonNull(rediscoverEvery, "rediscoverEvery must not be null");
        this.random = requireNonNull(random, "random must not be null");
        this.onClusterGone = requireNonNull(onClusterGone, "onClusterGone must not be null");
        this.unresolvedTargets = new AtomicInteger(targets.size());
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
            return Flux.fromIterable(targets).flatMap(this::targetObservations, Math.max(1, targets.size()));
        });
    }

    /** True once every target's clusters are known and each was polled at least once (ok or not). */
    public boolean ready() {
        return unresolvedTargets.get() == 0 && awaitingFirstPoll.isEmpty();
    }

    private Flux<Observation> targetObservations(MonitorConfig.Target target) {
        Flux<Set<ClusterKey>> clusterSets = clusterSets(target).replay(1).autoConnect();
        return Flux.defer(() -> {
            Set<ClusterKey> running = new HashSet<>();
            AtomicInteger resolved = new AtomicInteger();
            return clusterSets
                    .doOnNext(set -> {
                        if (resolved.getAndIncrement() == 0) {
                            awaitingFirstPoll.addAll(set);
                            unresolvedTargets.decrementAndGet();
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
            target.clusters().forEach(name -> keys.add(new ClusterKey(target.groupId(), name)));
            return Flux.just(Set.copyOf(keys)).concatWith(Flux.never());
        }
        // Until one discovery succeeds there is nothing to poll and the monitor is not ready: retry
        // it at the active interval instead of leaving the project unwatched for a whole round.
        Mono<Set<ClusterKey>> first = discover(target.groupId())
                .repeatWhenEmpty(attempts -> attempts.concatMap(attempt -> Mono.delay(target.poll().activeInterval(), clock)));
        return first.concatWith(Flux.interval(rediscoverEvery, rediscoverEvery, clock)
                .onBackpressureDrop()
                .concatMap(tick -> discover(target.groupId()), 1));
    }

    private Mono<Set<ClusterKey>> discover(String groupId) {
        return client.listClusters(groupId)
                .map(cluster -> new ClusterKey(groupId, cluster.name()))
                .collect(java.util.stream.Collectors.toUnmodifiableSet())
                .doOnNext(keys -> log.debug("project {}: {} clusters discovered", groupId, keys.size()))
                .onErrorResume(error -> {
                    // Keep polling what we know; the next discovery round may succeed.
                    log.warn("project {}: cluster discovery failed: {}", groupId, error.toString());
                    return Mono.empty();
                });
    }

    private Flux<Observation> clusterLoop(MonitorConfig.Target target, ClusterKey key) {
        return Flux.defer(() -> {
            ClusterSnapshot saved = initial.remove(key);
            AtomicReference<ClusterSnapshot> last = new AtomicReference<>(
                    saved != null ? saved : ClusterSnapshot.empty(key));
            AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
            return Mono.defer(() -> Mono.delay(delay.get(), clock)
                            .then(poller.poll(last.get(), target.stuck(), target.poll().historyWindow())))
                    .doOnNext(observation -> {
                        last.set(observation.snapshot());
                        delay.set(PollSchedule.nextDelay(observation.snapshot(), target.poll(), random));
                        awaitingFirstPoll.remove(key);
                    })
                    .repeat();
        });
    }
}
