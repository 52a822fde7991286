package io.github.atlasexport.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Delivers every notice to every sink, at least once. Each sink has its own outbox and its own
 * loop; a notice leaves an outbox only on a 2xx (or a definite rejection, which is counted).
 *
 * <p>Durability is the caller's: {@link DeliveryListener#outboxChanged} reports each change, and
 * entries read back at startup are handed to the constructor.
 */
public final class AlertDispatcher {
    private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);

    private final Map<String, SinkLoop> loops = new LinkedHashMap<>();
    private final Scheduler clock;

    /**
     * @param sinks    with unique names (see {@link AlertSinks#create})
     * @param restored outbox entries from the state file, matched to sinks by {@link Sink#outboxKey()};
     *                 those of sinks no longer configured are dropped
     * @param clock    timers and "now" ({@code Schedulers.parallel()} in production, virtual time in tests)
     * @param random   jitter source, values in [0, 1)
     */
    public AlertDispatcher(List<Sink> sinks, List<OutboxEntry> restored, DeliveryOptions options,
                           DeliveryListener listener, Scheduler clock, DoubleSupplier random) {
        requireNonNull(options, "options must not be null");
        requireNonNull(listener, "listener must not be null");
        this.clock = requireNonNull(clock, "clock must not be null");
        requireNonNull(random, "random must not be null");
        Map<String, List<OutboxEntry>> bySink = restored.stream()
                .collect(Collectors.groupingBy(OutboxEntry::sink, LinkedHashMap::new, Collectors.toList()));
        Set<String> keys = new HashSet<>();
        for (Sink sink : sinks) {
            if (loops.containsKey(sink.name())) {
                throw new IllegalArgumentException("two sinks are named " + sink.name());
            }
            if (!keys.add(sink.outboxKey())) {
                throw new IllegalArgumentException("two sinks have the outbox key " + sink.outboxKey());
            }
            Outbox outbox = new Outbox(sink.outboxKey(), bySink.getOrDefault(sink.outboxKey(), List.of()));
            loops.put(sink.name(), new SinkLoop(sink, outbox, options, listener, clock, random));
        }
        bySink.keySet().stream().filter(key -> !keys.contains(key)).forEach(key -> log.warn(
                "dropping {} undelivered alert notices of sink {}: it is no longer configured",
                bySink.get(key).size(), key));
    }

    /** Starts one delivery loop per sink. Dispose the result to stop them. */
    public Disposable start() {
        loops.values().forEach(SinkLoop::changed); // publish restored queue sizes
        return Flux.fromIterable(loops.values())
                .flatMap(loop -> loop.run()
                        // A loop only fails on a bug; keep the sink alive rather than lose its alerts.
                        .doOnError(error -> log.error("{}: delivery loop failed, restarting", loop.outbox().sink(),
                                error))
                        .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofSeconds(1)).scheduler(clock)),
                        Math.max(1, loops.size()))
                .subscribe();
    }

    /** Queues the notices for every sink; each is delivered by its sink's loop. */
    public void enqueue(List<AlertNotice> notices) {
        if (!notices.isEmpty()) {
            loops.values().forEach(loop -> loop.enqueue(notices));
        }
    }

    /** Every undelivered entry of every sink, for the state file. */
    public List<OutboxEntry> pending() {
        List<OutboxEntry> all = new ArrayList<>();
        loops.values().forEach(loop -> all.addAll(loop.outbox().snapshot()));
        return all;
    }

    public int queueSize(String sink) {
        SinkLoop loop = loops.get(sink);
        return loop == null ? 0 : loop.outbox().size();
    }

    public List<String> sinkNames() {
        return List.copyOf(loops.keySet());
    }
}
