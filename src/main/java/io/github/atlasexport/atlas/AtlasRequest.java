package io.github.atlasexport.atlas;

import static java.util.Objects.requireNonNull;

/**
 * One request as the client means it, before credentials are added.
 *
 * @param target     path and query exactly as sent (and as signed by digest), base-URL path included
 * @param endpoint   the path template reported to the {@link ExchangeListener} and put in errors
 * @param groupId    the project the request is for, or null (discovery, token endpoint)
 * @param body       request body or null
 * @param idempotent whether sending it twice is harmless, which decides what is retried
 */
record AtlasRequest(String method, String target, String endpoint, String groupId, String accept,
                    String contentType, String body, boolean idempotent) {

    AtlasRequest {
        requireNonNull(method, "method must not be null");
        requireNonNull(target, "target must not be null");
        requireNonNull(endpoint, "endpoint must not be null");
        requireNonNull(accept, "accept must not be null");
    }

    static AtlasRequest get(String target, String endpoint, String groupId, String accept) {
        return new AtlasRequest("GET", target, endpoint, groupId, accept, null, null, true);
    }
}
