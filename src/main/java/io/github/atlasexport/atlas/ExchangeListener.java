package io.github.atlasexport.atlas;

/**
 * Told about every HTTP exchange with Atlas (auth challenges included), so that metrics can count
 * them without the client knowing about metrics. Called on an event loop: must not block.
 */
@FunctionalInterface
public interface ExchangeListener {
    ExchangeListener NONE = exchange -> { };

    void onExchange(Exchange exchange);

    /**
     * @param endpoint a path template such as {@code /groups/{groupId}/clusters/{clusterName}/backup/exports}
     * @param status   HTTP status, or 0 when no response arrived (timeout, reset)
     * @param groupId  the project the call was for, or null for calls outside a project
     */
    record Exchange(String method, String endpoint, int status, String groupId) {
    }
}
