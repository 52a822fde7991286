package io.github.atlasexport.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * The delivery loop of one sink: one notice in flight at a time, oldest first, and the sink's
 * keep-alive in between. Each sink has its own loop, so a slow or dead sink delays only itself.
 */
final class SinkLoop {
    private static final Logger log = LoggerFactory.getLogger(SinkLoop.class);

    private final Sink sink;
    private final Outbox outbox;
    private final DeliveryOptions options;
    private final DeliveryListener listener;
    private final Scheduler clock;
    private final DoubleSupplier random;

    // Wake-up protocol: the loop reads the generation before looking at the outbox and then waits for a
    // larger one, so a notice added between the look and the wait is never missed.
    private final AtomicLong generation = new AtomicLong();
    private final Sinks.Many<Long> wakeups = Sinks.many().replay().latest();
    private Instant nextKeepAlive; // touched by the loop only

    SinkLoop(Sink sink, Outbox outbox, DeliveryOptions options, DeliveryListener listener, Scheduler clock,
             DoubleSupplier random) {
        this.sink = sink;
        this.outbox = outbox;
        this.options = options;
        this.listener = listener;
        this.clock = clock;
        this.random = random;
    }

    Outbox outbox() {
        return outbox;
    }

    Flux<Void> run() {
        return Mono.defer(this::step).repeat();
    }

    void enqueue(Iterable<AlertNotice> notices) {
        Instant now = now();
        boolean added = false;
        for (AlertNotice notice : notices) {
            added |= outbox.add(notice, now);
        }
        if (added) {
            changed();
            long next = generation.incrementAndGet();
            synchronized (wakeups) { // emissions into a Sinks.Many must not overlap
                wakeups.tryEmitNext(next);
            }
        }
    }

    void changed() {
        listener.queueSize(sink.name(), outbox.size());
        listener.outboxChanged(sink.name(), outbox.snapshot());
    }

    private Mono<Void> step() {
        long seen = generation.get();
        Instant now = now();
        Optional<Duration> keepAliveInterval = sink.keepAliveInterval();
        if (keepAliveInterval.isPresent() && (nextKeepAlive == null || !now.isBefore(nextKeepAlive))) {
            nextKeepAlive = now.plus(keepAliveInterval.get());
            return keepAlive();
        }
        Optional<OutboxEntry> head = outbox.head();
        if (head.isPresent() && !head.get().nextAttemptAt().isAfter(now)) {
            return attempt(head.get());
        }
        Instant until = earliest(head.map(OutboxEntry::nextAttemptAt).orElse(null), nextKeepAlive);
        Mono<?> timer = until == null ? Mono.never() : Mono.delay(Duration.between(now, until), clock);
        // With a head waiting for its retry, newcomers queue behind it: no reason to wake up early.
        Mono<?> wakeup = head.isPresent() ? Mono.never()
                : wakeups.asFlux().filter(latest -> latest > seen).next().publishOn(clock);
        return Mono.firstWithSignal(timer, wakeup).then();
    }

    private Mono<Void> attempt(OutboxEntry entry) {
        return sink.deliver(entry.notice())
                .timeout(options.attemptTimeout(), clock)
                // Sinks turn network errors into results; what arrives here is the backstop timeout or a bug.
                // Only the exception's type is kept: its message could carry a sink URL.
                .onErrorResume(error -> Mono.just(DeliveryResult.retry(0, error instanceof TimeoutException
                        ? "no answer within " + AlertText.human(options.attemptTimeout())
                        : "delivery failed: " + error.getClass().getName(), null)))
                .defaultIfEmpty(DeliveryResult.retry(0, "sink gave no result", null))
                .doOnNext(result -> settle(entry, result))
                .then();
    }

    private void settle(OutboxEntry entry, DeliveryResult result) {
        AlertNotice notice = entry.notice();
        switch (result.outcome()) {
            case DELIVERED -> {
                outbox.remove(entry.id());
                listener.sent(sink.name(), notice.alertname());
                log.debug("{}: delivered {} {} {} after {} failed attempts", sink.name(), notice.alertname(),
                        notice.status().wire(), entry.id(), entry.attempts());
            }
            case REJECTED -> {
                outbox.remove(entry.id());
                listener.failed(sink.name(), notice.alertname());
                log.warn("{}: rejected {} {} {}, not retried: {}", sink.name(), notice.alertname(),
                        notice.status().wire(), entry.id(), result.detail());
            }
            case RETRY -> {
                listener.failed(sink.name(), notice.alertname());
                Duration delay = options.delayAfter(result, entry.attempts() + 1, random.getAsDouble());
                outbox.retryAt(entry.id(), now().plus(delay), result.detail());
                log.info("{}: delivery of {} {} failed (attempt {}), retry in {}: {}", sink.name(),
                        notice.alertname(), entry.id(), entry.attempts() + 1, AlertText.human(delay), result.detail());
            }
        }
        changed();
    }

    private Mono<Void> keepAlive() {
        return sink.keepAlive()
                .timeout(options.attemptTimeout(), clock)
                .doOnNext(result -> {
                    if (result.outcome() != DeliveryResult.Outcome.DELIVERED) {
                        log.info("{}: re-sending firing alerts failed: {}", sink.name(), result.detail());
                    }
                })
                .onErrorResume(error -> {
                    log.info("{}: re-sending firing alerts failed: {}", sink.name(), error.getClass().getSimpleName());
                    return Mono.empty();
                })
                .then();
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
