package io.github.atlasexport.alert;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * A notice one sink would not take: it answered 410 Gone, or kept failing for
 * {@link DeliveryOptions#maxAge()}. Kept in the state store, listed by {@code GET /api/v1/alerts?dead=true}
 * and the status page, until re-sent ({@code POST /api/v1/alerts/dead/resend}).
 *
 * @param sink      the sink's {@link Sink#outboxKey()}
 * @param attempts  delivery attempts made
 * @param lastError what the last attempt got
 */
public record DeadLetter(String sink, AlertNotice notice, int attempts, Instant queuedAt, Instant deadAt,
                         String lastError) {
    public DeadLetter {
        requireNonNull(sink, "sink must not be null");
        requireNonNull(notice, "notice must not be null");
        requireNonNull(deadAt, "deadAt must not be null");
    }

    public String id() {
        return notice.id();
    }
}
