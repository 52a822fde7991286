package io.github.atlasexport.alert;

import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Optional;

/**
 * One alert destination. {@link AlertDispatcher} calls it from a loop of its own, a few notices at a
 * time, so implementations must be thread-safe, and need not retry: they report what happened.
 */
public interface Sink {

    /** Stable and free of secrets (type and host): used in logs and metrics. */
    String name();

    /**
     * What the state store files this sink's undelivered notices under. It must follow the
     * destination, not the sink's place in the config: two sinks of one type and host share a name
     * but not a key, so removing or reordering sinks never hands one's notices to another.
     */
    default String outboxKey() {
        return name();
    }

    /**
     * Sends one notice. Never errors: a network failure is a {@link DeliveryResult.Outcome#RETRY} value.
     */
    Mono<DeliveryResult> deliver(AlertNotice notice);

    /** How long one attempt may take; empty for the dispatcher's default ({@link DeliveryOptions#attemptTimeout()}). */
    default Optional<Duration> timeout() {
        return Optional.empty();
    }

    /** How often {@link #keepAlive()} must run, for receivers that forget alerts not re-sent. */
    default Optional<Duration> keepAliveInterval() {
        return Optional.empty();
    }

    /** Re-sends what is firing now. Runs in the same loop as {@link #deliver}, so it never overtakes a resolve. */
    default Mono<DeliveryResult> keepAlive() {
        return Mono.empty();
    }
}
