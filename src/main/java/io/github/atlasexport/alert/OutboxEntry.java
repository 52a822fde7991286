package io.github.atlasexport.alert;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * One notice waiting for one sink. This is what the state store keeps until the sink answers 2xx.
 *
 * @param sink          the sink's {@link Sink#outboxKey()}
 * @param attempts      delivery attempts made so far
 * @param nextAttemptAt not before this time (backoff, Retry-After)
 * @param lastError     what the last attempt got, for people; null before the first attempt
 * @param queuedAt      when it was queued: retried until {@link DeliveryOptions#maxAge()} after this. Files
 *                      written before it existed lack it; {@code nextAttemptAt} stands in (a later time, so
 *                      such a notice gets at least its full age)
 */
public record OutboxEntry(String sink, AlertNotice notice, int attempts, Instant nextAttemptAt, String lastError,
                          Instant queuedAt) {
    public OutboxEntry {
        requireNonNull(sink, "sink must not be null");
        requireNonNull(notice, "notice must not be null");
        requireNonNull(nextAttemptAt, "nextAttemptAt must not be null");
        queuedAt = queuedAt == null ? nextAttemptAt : queuedAt;
    }

    /** Queued at {@code nextAttemptAt}. */
    public OutboxEntry(String sink, AlertNotice notice, int attempts, Instant nextAttemptAt, String lastError) {
        this(sink, notice, attempts, nextAttemptAt, lastError, null);
    }

    /** The notice id: the same for every attempt, the receiver's key for dropping duplicates. */
    public String id() {
        return notice.id();
    }

    OutboxEntry failedAttempt(Instant retryAt, String error) {
        return new OutboxEntry(sink, notice, attempts + 1, retryAt, error, queuedAt);
    }
}
