package io.github.atlasexport.atlas;

/**
 * Told about every HTTP exchange with Atlas (auth challenges included), and about what the client
 * read from the answers, so that metrics can count them without the client knowing about metrics.
 * Called on an event loop: must not block.
 */
@FunctionalInterface
public interface ExchangeListener {
    ExchangeListener NONE = exchange -> { };

    void onExchange(Exchange exchange);

    /** An export job of a list was skipped: it had no id, or a field of an unexpected type. */
    default void onUnparsableJob(String groupId, String clusterName) {
    }

    /** Atlas sent {@code RateLimit-Remaining} on an answer for this project (null groupId outside one). */
    default void onRateLimitRemaining(String groupId, int remaining) {
    }

    /**
     * @param endpoint a path template such as {@code /groups/{groupId}/clusters/{clusterName}/backup/exports}
     * @param status   HTTP status, or 0 when no response arrived (timeout, reset)
     * @param groupId  the project the call was for, or null for calls outside a project
     */
    record Exchange(String method, String endpoint, int status, String groupId) {
    }
}
