package io.github.atlasexport.atlas;

import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Mono;

/** Puts credentials on requests; one implementation per kind of {@link Credentials}. */
interface RequestAuthorizer {

    /** The Authorization header for this request, or empty when none is known yet (digest before its first challenge). */
    Mono<String> authorization(String method, String target);

    /**
     * A request sent with {@code sentAuthorization} (null if none) was answered 401: learn what the
     * answer teaches (a new digest challenge, a token to throw away). True when one more try may succeed.
     */
    boolean renew(String sentAuthorization, HttpHeaders responseHeaders);
}
