package io.github.atlasexport.monitor;

import java.time.Instant;

/**
 * The latest known condition of the cluster discovery of one {@code "*"} target, for people.
 *
 * @param lastError message of the last discovery's error, or null when it succeeded
 */
public record DiscoveryStatus(String groupId, Instant lastAttempt, Instant lastSuccess, String lastError) {

    public boolean up() {
        return lastError == null;
    }

    /** Folds one more discovery into the status ({@code previous} null for the first). */
    static DiscoveryStatus next(DiscoveryStatus previous, Discovery discovery) {
        Instant lastSuccess = discovery.succeeded() ? discovery.at() : previous == null ? null : previous.lastSuccess();
        return new DiscoveryStatus(discovery.groupId(), discovery.at(), lastSuccess,
                discovery.succeeded() ? null : TargetStatus.describe(discovery.error()));
    }
}
