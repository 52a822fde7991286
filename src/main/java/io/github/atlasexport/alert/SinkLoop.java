package io.github.atlasexport.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * The delivery loop of one sink: up to {@link DeliveryOptions#concurrency()} notices in flight, each
 * with its own retry clock, so one alert's trouble (a slow answer, a 429) delays only that alert; the
 * notices of one alert go in order. The sink's keep-alive runs alone, with nothing else in flight, so
 * it never overtakes a resolve. Each sink has its own loop, so a slow or dead sink delays only itself.
 *
 * <p>All decisions are made in {@link #drain}, which one thread at a time runs (the others leave it
 * a note to go round again); attempts end on whatever thread their sink answers on.
 */
final class SinkLoop {
    private static final Logger log = LoggerFactory.getLogger(SinkLoop.class);

    private final Sink sink;
    private final Outbox outbox;
    private final DeliveryOptions options;
    private final DeliveryListener listener;
    private final Scheduler clock;
    private final DoubleSupplier random;
    private final Duration timeout;
    private final AtomicInteger drains = new AtomicInteger();

    // Guarded by this.
    private final Map<String, Disposable.Swap> inFlight = new LinkedHashMap<>();
    private Sinks.Empty<Void> failure; // the running incarnation's; null while stopped
    private Disposable timer = Disposables.disposed();
    private Instant timerAt;
    private Instant nextKeepAlive;
    private Disposable.Swap keepAliveCall;

    SinkLoop(Sink sink, Outbox outbox, DeliveryOptions options, DeliveryListener listener, Scheduler clock,
             DoubleSupplier random) {
        this.sink = sink;
        this.outbox = outbox;
        this.options = options;
        this.listener = listener;
        this.clock = clock;
        this.random = random;
        this.timeout = sink.timeout().orElse(options.attemptTimeout());
    }

    Outbox outbox() {
        return outbox;
    }

    String name() {
        return sink.name();
    }

    /**
     * Runs the loop until cancelled. Errors only on a bug (or a JVM error thrown by a sink): the
     * supervisor logs, counts and resubscribes, and the outbox is kept meanwhile.
     */
    Mono<Void> run() {
        return Mono.defer(() -> {
            Sinks.Empty<Void> failed = Sinks.empty();
            synchronized (this) {
                failure = failed;
            }
            clock.schedule(this::drain);
            return failed.asMono().doFinally(signal -> stopped(failed, signal));
        });
    }

    /** Queues the notices; held ones wait for {@link #release}. */
    void enqueue(Iterable<AlertNotice> notices, boolean hold) {
        Instant now = now();
        boolean added = false;
        for (AlertNotice notice : notices) {
            added |= outbox.add(notice, now, hold);
        }
        if (added) {
            changed();
            clock.schedule(this::drain);
        }
    }

    void release(Collection<String> ids) {
        if (outbox.release(ids)) {
            clock.schedule(this::drain);
        }
    }

    List<DeadLetter> resend(String id) {
        List<DeadLetter> resent = outbox.resend(id, now());
        if (!resent.isEmpty()) {
            resent.forEach(letter -> log.info("{}: re-sending dead letter {} {} {}", sink.name(),
                    letter.notice().alertname(), letter.notice().status().wire(), letter.id()));
            changed();
            clock.schedule(this::drain);
        }
        return resent;
    }

    void changed() {
        listener.queueSize(sink.name(), outbox.size());
        listener.outboxChanged(sink.name(), outbox.snapshot());
    }

    private void drain() {
        if (drains.getAndIncrement() != 0) {
            return; // the thread draining now goes round again
        }
        do {
            try {
                pump();
            } catch (Throwable error) {
                fail(error);
            }
        } while (drains.decrementAndGet() != 0);
    }

    private void pump() {
        Instant now = now();
        List<OutboxEntry> start = List.of();
        boolean keepAlive = false;
        synchronized (this) {
            if (failure == null) {
                return;
            }
            Optional<Duration> keepAliveInterval = sink.keepAliveInterval();
            boolean keepAliveDue = keepAliveInterval.isPresent() && (nextKeepAlive == null || !now.isBefore(nextKeepAlive));
            // The keep-alive runs alone; while it waits for attempts in flight, no new one starts. Either
            // way the end of what is in flight drains again, so no timer is needed meanwhile.
            if (keepAliveCall == null && keepAliveDue && inFlight.isEmpty()) {
                nextKeepAlive = now.plus(keepAliveInterval.get());
                keepAliveCall = Disposables.swap();
                keepAlive = true;
            } else if (keepAliveCall == null && !keepAliveDue) {
                Outbox.Due due = outbox.due(now, inFlight.keySet(), options.concurrency() - inFlight.size());
                start = due.now();
                start.forEach(entry -> inFlight.put(entry.id(), Disposables.swap()));
                schedule(earliest(due.next(), nextKeepAlive), now);
            }
        }
        if (keepAlive) {
            keepAlive();
        }
        for (OutboxEntry entry : start) {
            attempt(entry);
        }
    }

    /** Under the lock: wakes the loop at {@code at}, unless it already wakes then. */
    private void schedule(Instant at, Instant now) {
        if (at == null || at.equals(timerAt) && !timer.isDisposed()) {
            return;
        }
        timer.dispose();
        timerAt = at;
        long delay = Math.max(0, Duration.between(now, at).toMillis());
        timer = clock.schedule(this::drain, delay, TimeUnit.MILLISECONDS);
    }

    private void attempt(OutboxEntry entry) {
        Mono<DeliveryResult> delivery;
        try {
            delivery = sink.deliver(entry.notice());
        } catch (Throwable error) {
            synchronized (this) {
                inFlight.remove(entry.id());
            }
            throw error;
        }
        Disposable call = delivery
                .timeout(timeout, clock)
                // Sinks turn network errors into results; what arrives here is the timeout or a bug.
                // Only the exception's type is kept: its message could carry a sink URL.
                .onErrorResume(error -> Mono.just(DeliveryResult.retry(0, error instanceof TimeoutException
                        ? "no answer within " + AlertText.human(timeout)
                        : "delivery failed: " + error.getClass().getName(), null)))
                .defaultIfEmpty(DeliveryResult.retry(0, "sink gave no result", null))
                .subscribe(result -> settle(entry, result), this::fail);
        synchronized (this) {
            Disposable.Swap slot = inFlight.get(entry.id());
            if (slot != null) {
                slot.update(call);
            }
        }
    }

    private void settle(OutboxEntry entry, DeliveryResult result) {
        AlertNotice notice = entry.notice();
        Instant now = now();
        switch (result.outcome()) {
            case DELIVERED -> {
                outbox.remove(entry.id());
                listener.sent(sink.name(), notice.alertname());
                log.debug("{}: delivered {} {} {} after {} failed attempts", sink.name(), notice.alertname(),
                        notice.status().wire(), entry.id(), entry.attempts());
            }
            case RETRY, REJECTED -> {
                listener.failed(sink.name(), notice.alertname());
                Duration age = Duration.between(entry.queuedAt(), now);
                if (result.outcome() == DeliveryResult.Outcome.REJECTED || age.compareTo(options.maxAge()) >= 0) {
                    outbox.kill(entry.id(), now, result.detail()).ifPresent(letter -> {
                        listener.dead(sink.name(), notice.alertname());
                        log.warn("{}: gave up on {} {} {} after {} attempts in {}: {}; it is in the dead letters "
                                        + "(POST /api/v1/alerts/dead/{}/resend sends it again)", sink.name(),
                                notice.alertname(), notice.status().wire(), entry.id(), letter.attempts(),
                                AlertText.human(age), result.detail(), entry.id());
                    });
                } else {
                    Duration delay = options.delayAfter(result, entry.attempts() + 1, random.getAsDouble());
                    outbox.retryAt(entry.id(), now.plus(delay), result.detail());
                    log.warn("{}: delivery of {} {} {} failed (attempt {}), retry in {}: {}", sink.name(),
                            notice.alertname(), notice.status().wire(), entry.id(), entry.attempts() + 1,
                            AlertText.human(delay), result.detail());
                }
            }
        }
        synchronized (this) {
            inFlight.remove(entry.id());
        }
        changed();
        drain();
    }

    private void keepAlive() {
        Disposable call = Mono.defer(sink::keepAlive)
                .timeout(timeout, clock)
                .doOnNext(result -> {
                    if (result.outcome() != DeliveryResult.Outcome.DELIVERED) {
                        log.warn("{}: re-sending firing alerts failed: {}", sink.name(), result.detail());
                    }
                })
                .onErrorResume(error -> {
                    log.warn("{}: re-sending firing alerts failed: {}", sink.name(), error.getClass().getSimpleName());
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    synchronized (this) {
                        keepAliveCall = null;
                    }
                    if (signal != SignalType.CANCEL) {
                        drain();
                    }
                })
                .subscribe(result -> { }, this::fail);
        synchronized (this) {
            if (keepAliveCall != null) {
                keepAliveCall.update(call);
            }
        }
    }

    /** Ends this incarnation of the loop with {@code error}, for the supervisor to restart it. */
    private void fail(Throwable error) {
        Sinks.Empty<Void> failed;
        synchronized (this) {
            failed = failure;
            failure = null;
            timer.dispose();
        }
        if (failed != null) {
            failed.tryEmitError(error);
        } else {
            log.error("{}: delivery loop failed while stopped", sink.name(), error);
        }
    }

    /**
     * The incarnation that {@code failed} belongs to ended. Cancelled: nothing more is sent (what is in
     * flight is dropped, and stays queued). Failed: attempts in flight go on and settle.
     */
    private void stopped(Sinks.Empty<Void> failed, SignalType signal) {
        synchronized (this) {
            if (failure == failed) {
                failure = null;
                timer.dispose();
            }
            if (signal == SignalType.CANCEL) {
                inFlight.values().forEach(Disposable::dispose);
                inFlight.clear();
                if (keepAliveCall != null) {
                    keepAliveCall.dispose();
                    keepAliveCall = null;
                }
            }
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.now(TimeUnit.MILLISECONDS));
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }
}
