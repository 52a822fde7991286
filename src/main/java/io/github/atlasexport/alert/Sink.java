package io.github.atlasexport.alert;

import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Optional;

/**
 * One alert destination. {@link AlertDispatcher} calls it from a loop of its own, one notice at a
 * time, so implementations need no locking and need not retry: they report what happened.
 */
public interface Sink {

    /** Stable and free of secrets (type and host): used in logs, metrics and the outbox. */
    String name();

    /**
     * Sends one notice. Never errors: a network failure is a {@link DeliveryResult.Outcome#RETRY} value.
     */
    Mono<DeliveryResult> deliver(AlertNotice notice);

    /** How often {@link #keepAlive()} must run, for receivers that forget alerts not re-sent. */
    default Optional<Duration> keepAliveInterval() {
        return Optional.empty();
    }

    /** Re-sends what is firing now. Runs in the same loop as {@link #deliver}, so it never overtakes a resolve. */
    default Mono<DeliveryResult> keepAlive() {
        return Mono.empty();
    }
}
