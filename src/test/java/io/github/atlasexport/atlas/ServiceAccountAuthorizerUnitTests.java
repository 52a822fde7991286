package io.github.atlasexport.atlas;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token endpoint is a scripted function here; the real HTTP path is covered by AtlasClientIntegrationTests. */
class ServiceAccountAuthorizerUnitTests {
    private final List<String> basicHeaders = new CopyOnWriteArrayList<>();
    private int issued;
    private int failuresLeft;

    private ServiceAccountAuthorizer authorizer(long expiresIn) {
        return new ServiceAccountAuthorizer(new Credentials.ServiceAccount("client-id", "s3cret"), "/api/oauth/token",
                (request, authorization) -> Mono.fromCallable(() -> {
                    basicHeaders.add(authorization);
                    if (failuresLeft-- > 0) {
                        return new AtlasResponse(503, EmptyHttpHeaders.INSTANCE, new byte[0]);
                    }
                    issued++;
                    return new AtlasResponse(200, EmptyHttpHeaders.INSTANCE,
                            ("{\"access_token\":\"t" + issued + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}")
                                    .getBytes(StandardCharsets.UTF_8));
                }).delayElement(Duration.ofMillis(10)),
                RetryPolicy.none().forIdempotent());
    }

    @Test
    void concurrentCallersShareOneFetchAndTheTokenIsRefreshedAt90PercentOfItsLife() {
        StepVerifier.withVirtualTime(() -> {
                    ServiceAccountAuthorizer auth = authorizer(100);
                    return Flux.range(0, 50).flatMap(i -> auth.authorization("GET", "/x"))
                            .distinct()
                            .concatWith(Mono.delay(Duration.ofSeconds(89)).then(auth.authorization("GET", "/x")))
                            .concatWith(Mono.delay(Duration.ofSeconds(2)).then(auth.authorization("GET", "/x")));
                })
                .thenAwait(Duration.ofMillis(10))
                .expectNext("Bearer t1")
                .thenAwait(Duration.ofSeconds(89))
                .expectNext("Bearer t1")
                .thenAwait(Duration.ofSeconds(3))
                .expectNext("Bearer t2")
                .verifyComplete();
        assertEquals(2, basicHeaders.size());
        assertEquals("Basic Y2xpZW50LWlkOnMzY3JldA==", basicHeaders.get(0));
    }

    @Test
    void aRejectedTokenIsReplacedOnceAndAStaleRejectionDoesNotDropTheNewOne() {
        StepVerifier.withVirtualTime(() -> {
                    ServiceAccountAuthorizer auth = authorizer(3600);
                    return auth.authorization("GET", "/x")
                            .flatMap(first -> {
                                assertTrue(auth.renew(first, new DefaultHttpHeaders()));
                                return auth.authorization("GET", "/x");
                            })
                            .flatMap(second -> {
                                auth.renew("Bearer t1", new DefaultHttpHeaders()); // a late 401 for the old token
                                return auth.authorization("GET", "/x").map(third -> second + "," + third);
                            });
                })
                .thenAwait(Duration.ofSeconds(1))
                .expectNext("Bearer t2,Bearer t2")
                .verifyComplete();
        assertEquals(2, basicHeaders.size());
    }

    @Test
    void aFailedFetchIsNotCached() {
        failuresLeft = 1;
        StepVerifier.withVirtualTime(() -> {
                    ServiceAccountAuthorizer auth = authorizer(3600);
                    return auth.authorization("GET", "/x").onErrorResume(e -> Mono.just("failed " + ((AtlasApiException) e).status()))
                            .concatWith(auth.authorization("GET", "/x"));
                })
                .thenAwait(Duration.ofSeconds(1))
                .expectNext("failed 503", "Bearer t1")
                .verifyComplete();
    }

    @Test
    void aMalformedTokenResponseNamesItsShapeNotItsContent() {
        ServiceAccountAuthorizer auth = new ServiceAccountAuthorizer(new Credentials.ServiceAccount("id", "secret"), "/t",
                (request, authorization) -> Mono.just(new AtlasResponse(200, EmptyHttpHeaders.INSTANCE, "{\"token\":\"leak-me\"}".getBytes(StandardCharsets.UTF_8))),
                RetryPolicy.none().forIdempotent());

        auth.authorization("GET", "/x").as(StepVerifier::create)
                .expectErrorSatisfies(e -> {
                    AtlasApiException error = (AtlasApiException) e;
                    assertEquals(AtlasErrors.MALFORMED_RESPONSE, error.errorCode());
                    assertEquals(ServiceAccountAuthorizer.ENDPOINT, error.endpoint());
                    assertFalse(error.getMessage().contains("leak-me"));
                    assertFalse(error.getMessage().contains("secret"));
                })
                .verify();
        assertFalse(auth.renew(null, new DefaultHttpHeaders()));
    }
}
