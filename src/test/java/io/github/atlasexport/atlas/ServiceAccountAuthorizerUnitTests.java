package io.github.atlasexport.atlas;

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
    void aRefusedClientSecretNamesTheClientIdAndNeverTheSecret() {
        ServiceAccountAuthorizer auth = new ServiceAccountAuthorizer(new Credentials.ServiceAccount("mdb_sa_id_7", "mdb_sa_sk_s3cret"),
                "/api/oauth/token",
                (request, authorization) -> Mono.just(new AtlasResponse(401, EmptyHttpHeaders.INSTANCE,
                        "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client credentials\"}".getBytes(StandardCharsets.UTF_8))),
                RetryPolicy.defaults().forIdempotent());

        auth.bearer().as(StepVerifier::create)
                .expectErrorSatisfies(error -> {
                    String message = error.getMessage();
                    org.junit.jupiter.api.Assertions.assertTrue(message.contains("mdb_sa_id_7"), message);
                    org.junit.jupiter.api.Assertions.assertTrue(message.contains("client secret"), message);
                    assertFalse(message.contains("s3cret"), message);
                })
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void concurrentCallersShareOneFetchAndTheTokenIsRefreshedAt90PercentOfItsLife() {
        StepVerifier.withVirtualTime(() -> {
                    ServiceAccountAuthorizer auth = authorizer(100);
                    return Flux.range(0, 50).flatMap(i -> auth.bearer())
                            .distinct()
                            .concatWith(Mono.delay(Duration.ofSeconds(89)).then(auth.bearer()))
                            .concatWith(Mono.delay(Duration.ofSeconds(2)).then(auth.bearer()));
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
        AtlasResponse unauthorized = new AtlasResponse(401, EmptyHttpHeaders.INSTANCE, new byte[0]);
        StepVerifier.withVirtualTime(() -> {
                    ServiceAccountAuthorizer auth = authorizer(3600);
                    return auth.grant("GET", "/x")
                            .flatMap(first -> first.answered(unauthorized))
                            .flatMap(second -> {
                                auth.retire("Bearer t1"); // a late 401 for the old token
                                return auth.bearer().map(third -> second.authorization() + "," + third);
                            });
                })
                .thenAwait(Duration.ofSeconds(1))
                .expectNext("Bearer t2,Bearer t2")
                .verifyComplete();
        assertEquals(2, basicHeaders.size());
    }

    @Test
    void onlyA401AsksForAnotherToken() {
        StepVerifier.withVirtualTime(() -> {
                    ServiceAccountAuthorizer auth = authorizer(3600);
                    return auth.grant("GET", "/x").flatMap(grant -> grant.answered(new AtlasResponse(403, EmptyHttpHeaders.INSTANCE, new byte[0])));
                })
                .thenAwait(Duration.ofSeconds(1))
                .verifyComplete();
        assertEquals(1, basicHeaders.size());
    }

    @Test
    void aFailedFetchIsNotCached() {
        failuresLeft = 1;
        StepVerifier.withVirtualTime(() -> {
                    ServiceAccountAuthorizer auth = authorizer(3600);
                    return auth.bearer().onErrorResume(e -> Mono.just("failed " + ((AtlasApiException) e).status()))
                            .concatWith(auth.bearer());
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

        auth.bearer().as(StepVerifier::create)
                .expectErrorSatisfies(e -> {
                    AtlasApiException error = (AtlasApiException) e;
                    assertEquals(AtlasErrors.MALFORMED_RESPONSE, error.errorCode());
                    assertEquals(ServiceAccountAuthorizer.ENDPOINT, error.endpoint());
                    assertFalse(error.getMessage().contains("leak-me"));
                    assertFalse(error.getMessage().contains("secret"));
                })
                .verify();
    }

    @Test
    void anAbsurdTokenLifetimeIsCappedAtADayAndANonPositiveOneMeansFetchAgain() {
        StepVerifier.withVirtualTime(() -> {
                    ServiceAccountAuthorizer auth = authorizer(Long.MAX_VALUE);
                    return auth.bearer()
                            .concatWith(Mono.delay(Duration.ofHours(21)).then(auth.bearer()))
                            .concatWith(Mono.delay(Duration.ofHours(1)).then(auth.bearer()));
                })
                .thenAwait(Duration.ofMillis(10))
                .expectNext("Bearer t1")
                .thenAwait(Duration.ofHours(21))
                .expectNext("Bearer t1")
                .thenAwait(Duration.ofHours(1).plusMillis(10))
                .expectNext("Bearer t2")
                .verifyComplete();

        StepVerifier.withVirtualTime(() -> {
                    ServiceAccountAuthorizer auth = authorizer(-5);
                    return auth.bearer().concatWith(auth.bearer());
                })
                .thenAwait(Duration.ofSeconds(1))
                .expectNext("Bearer t3", "Bearer t4")
                .verifyComplete();
    }
}
