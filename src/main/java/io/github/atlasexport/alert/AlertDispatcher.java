package io.github.atlasexport.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Delivers every notice to every sink, at least once. Each sink has its own outbox and its own
 * loop; a notice leaves an outbox on a 2xx, or for the sink's dead letters (410, or failing for
 * {@link DeliveryOptions#maxAge()}), from where it can be re-sent.
 *
 * <p>Durability is the caller's: {@link DeliveryListener#outboxChanged} reports each change, and
 * entries read back at startup are handed to the constructor. A notice {@link #stage staged} is
 * not attempted before the caller says the state store holds it ({@link #committed}), so a crash can
 * never make it be sent first and queued again afterwards under a new id.
 */
public final class AlertDispatcher {
    private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);
    /** Restarts of a failed delivery loop back off from this ... */
    static final Duration RESTART_MIN_BACKOFF = Duration.ofSeconds(1);
    /** ... to this. */
    static final Duration RESTART_MAX_BACKOFF = Duration.ofMinutes(1);

    private final Map<String, SinkLoop> loops = new LinkedHashMap<>();
    private final DeliveryListener listener;
    private final Scheduler clock;

    /** With no dead letters restored. */
    public AlertDispatcher(List<Sink> sinks, List<OutboxEntry> restored, DeliveryOptions options,
                           DeliveryListener listener, Scheduler clock, DoubleSupplier random) {
        this(sinks, restored, List.of(), options, listener, clock, random);
    }

    /**
     * @param sinks        with unique names (see {@link AlertSinks#create})
     * @param restored     outbox entries from the state store, matched to sinks by {@link Sink#outboxKey()};
     *                     those of sinks no longer configured are dropped, each with a warning
     * @param restoredDead dead letters from the state store, matched the same way
     * @param clock        timers and "now" ({@code Schedulers.parallel()} in production, virtual time in tests)
     * @param random       jitter source, values in [0, 1)
     */
    public AlertDispatcher(List<Sink> sinks, List<OutboxEntry> restored, List<DeadLetter> restoredDead,
                           DeliveryOptions options, DeliveryListener listener, Scheduler clock, DoubleSupplier random) {
        requireNonNull(options, "options must not be null");
        this.listener = requireNonNull(listener, "listener must not be null");
        this.clock = requireNonNull(clock, "clock must not be null");
        requireNonNull(random, "random must not be null");
        Map<String, List<OutboxEntry>> bySink = groupBySink(restored, OutboxEntry::sink);
        Map<String, List<DeadLetter>> deadBySink = groupBySink(restoredDead, DeadLetter::sink);
        Set<String> keys = new HashSet<>();
        for (Sink sink : sinks) {
            if (loops.containsKey(sink.name())) {
                throw new IllegalArgumentException("two sinks are named " + sink.name());
            }
            if (!keys.add(sink.outboxKey())) {
                throw new IllegalArgumentException("two sinks have the outbox key " + sink.outboxKey());
            }
            Outbox outbox = new Outbox(sink.outboxKey(), bySink.getOrDefault(sink.outboxKey(), List.of()),
                    deadBySink.getOrDefault(sink.outboxKey(), List.of()));
            loops.put(sink.name(), new SinkLoop(sink, outbox, options, listener, clock, random));
        }
        // Nowhere to send them any more: said one by one, so that none goes without a trace.
        restored.stream().filter(entry -> !keys.contains(entry.sink())).forEach(entry -> log.warn(
                "dropping undelivered {} {} {} of sink {}: it is no longer configured",
                entry.notice().alertname(), entry.notice().status().wire(), entry.id(), entry.sink()));
        restoredDead.stream().filter(letter -> !keys.contains(letter.sink())).forEach(letter -> log.warn(
                "dropping dead letter {} {} {} of sink {}: it is no longer configured",
                letter.notice().alertname(), letter.notice().status().wire(), letter.id(), letter.sink()));
    }

    private static <T> Map<String, List<T>> groupBySink(List<T> items, Function<T, String> sink) {
        return items.stream().collect(Collectors.groupingBy(sink, LinkedHashMap::new, Collectors.toList()));
    }

    /**
     * Starts one delivery loop per sink. A loop that fails (a bug, or a JVM error thrown by a sink) is
     * logged, counted ({@link DeliveryListener#loopRestarted}) and restarted with backoff; its outbox
     * is kept meanwhile. Dispose the result to stop them.
     */
    public Disposable start() {
        loops.values().forEach(SinkLoop::changed); // publish restored queue sizes
        return Flux.fromIterable(loops.values())
                .flatMap(loop -> loop.run()
                                .doOnError(error -> {
                                    log.error("{}: delivery loop failed; restarting it (its {} queued notices are kept)",
                                            loop.name(), loop.outbox().size(), error);
                                    listener.loopRestarted(loop.name());
                                })
                                .retryWhen(Retry.backoff(Long.MAX_VALUE, RESTART_MIN_BACKOFF)
                                        .maxBackoff(RESTART_MAX_BACKOFF)
                                        .scheduler(clock)),
                        Math.max(1, loops.size()))
                .subscribe();
    }

    /** Queues the notices for every sink, to be sent now. */
    public void enqueue(List<AlertNotice> notices) {
        if (!notices.isEmpty()) {
            loops.values().forEach(loop -> loop.enqueue(notices, false));
        }
    }

    /**
     * Queues the notices for every sink, but none is attempted before {@link #committed} names it:
     * they are in {@link #pending()} at once, for the state store, and go once it is written.
     */
    public void stage(List<AlertNotice> notices) {
        if (!notices.isEmpty()) {
            loops.values().forEach(loop -> loop.enqueue(notices, true));
        }
    }

    /** A saved state holding these staged notices is written: they may go now. */
    public void committed(List<AlertNotice> notices) {
        if (!notices.isEmpty()) {
            List<String> ids = notices.stream().map(AlertNotice::id).toList();
            loops.values().forEach(loop -> loop.release(ids));
        }
    }

    /** Every undelivered entry of every sink, for the state store. */
    public List<OutboxEntry> pending() {
        List<OutboxEntry> all = new ArrayList<>();
        loops.values().forEach(loop -> all.addAll(loop.outbox().snapshot()));
        return all;
    }

    /** Every sink's dead letters, oldest first: for the state store, {@code /api/v1/alerts?dead=true} and the status page. */
    public List<DeadLetter> deadLetters() {
        List<DeadLetter> all = new ArrayList<>();
        loops.values().forEach(loop -> all.addAll(loop.outbox().deadLetters()));
        all.sort(Comparator.comparing(DeadLetter::deadAt));
        return all;
    }

    /**
     * Queues dead letters again, due now, with a fresh {@link DeliveryOptions#maxAge()}: the notice with
     * {@code id} (on every sink where it is dead), or every dead letter when {@code id} is null.
     *
     * @return the letters re-sent; empty if none matched
     */
    public List<DeadLetter> resend(String id) {
        List<DeadLetter> resent = new ArrayList<>();
        loops.values().forEach(loop -> resent.addAll(loop.resend(id)));
        return resent;
    }

    public int queueSize(String sink) {
        SinkLoop loop = loops.get(sink);
        return loop == null ? 0 : loop.outbox().size();
    }

    public List<String> sinkNames() {
        return List.copyOf(loops.keySet());
    }
}
