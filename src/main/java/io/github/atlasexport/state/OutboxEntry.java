package io.github.atlasexport.state;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * One alert notification waiting for delivery to one sink, kept in the state file until delivered
 * so that a restart does not lose it. The payload is opaque JSON here: the alert code decides what
 * it holds and how a sink renders it. Secrets (a PagerDuty routing key, a signing secret) belong in
 * the config, not in a payload, because the state file is plain JSON on disk.
 *
 * @param id            stable per alert and status, reused on every retry (the webhook {@code id})
 * @param sink          the sink's name ({@code MonitorConfig.Sink#name()})
 * @param attempts      deliveries tried so far
 * @param nextAttemptAt not before this time
 * @param lastError     why the last attempt failed, or null
 * @param payload       the alert as JSON; a private copy, so callers cannot change the entry through it
 */
public record OutboxEntry(String id, String sink, int attempts, Instant enqueuedAt, Instant nextAttemptAt,
                          String lastError, JsonNode payload) {
    public OutboxEntry {
        requireNonNull(id, "id must not be null");
        requireNonNull(sink, "sink must not be null");
        requireNonNull(enqueuedAt, "enqueuedAt must not be null");
        requireNonNull(nextAttemptAt, "nextAttemptAt must not be null");
        requireNonNull(payload, "payload must not be null");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative: " + attempts);
        }
        payload = payload.deepCopy();
    }

    @Override
    public JsonNode payload() {
        return payload.deepCopy();
    }
}
