package io.github.atlasexport.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * OAuth 2.0 client credentials for an Atlas service account. One token is shared by every call and
 * fetched once however many callers ask at the same moment; it is refreshed after 90% of its
 * lifetime, and thrown away (then fetched once more) when the API answers 401 to it.
 */
final class ServiceAccountAuthorizer implements RequestAuthorizer {
    static final String ENDPOINT = "/api/oauth/token";
    private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    /** Atlas issues 1 h tokens; a server claiming far more (up to Long.MAX_VALUE seconds) is not believed. */
    static final Duration MAX_LIFETIME = Duration.ofDays(1);

    /** Sends the token request; the client routes it through its in-flight limit and transport. */
    @FunctionalInterface
    interface TokenExchange {
        Mono<AtlasResponse> exchange(AtlasRequest request, String authorization);
    }

    private final AtlasRequest tokenRequest;
    private final String clientId;
    private final String basicAuthorization;
    private final TokenExchange exchange;
    private final Retry retry;
    private final AtomicReference<Generation> generation = new AtomicReference<>();

    ServiceAccountAuthorizer(Credentials.ServiceAccount account, String tokenTarget, TokenExchange exchange, Retry retry) {
        requireNonNull(account, "account must not be null");
        this.tokenRequest = new AtlasRequest("POST", tokenTarget, ENDPOINT, null, "application/json",
                "application/x-www-form-urlencoded", "grant_type=client_credentials", true);
        this.clientId = account.clientId();
        this.basicAuthorization = "Basic " + Base64.getEncoder().encodeToString(
                (account.clientId() + ":" + account.clientSecret()).getBytes(StandardCharsets.UTF_8));
        this.exchange = requireNonNull(exchange, "exchange must not be null");
        this.retry = requireNonNull(retry, "retry must not be null");
        this.generation.set(new Generation());
    }

    @Override
    public Mono<Grant> grant(String method, String target) {
        return bearer().map(BearerGrant::new);
    }

    /** The current token as an Authorization value, fetched once for all the callers asking meanwhile. */
    Mono<String> bearer() {
        return Mono.defer(() -> generation.get().token).map(token -> "Bearer " + token.value());
    }

    /** A 401 answered {@code sentAuthorization}: its token is thrown away, so that the next caller fetches a new one. */
    void retire(String sentAuthorization) {
        Generation current = generation.get();
        AccessToken issued = current.issued;
        // Only the generation that issued the rejected token is dropped: a newer one may already be good.
        if (issued != null && ("Bearer " + issued.value()).equals(sentAuthorization)) {
            generation.compareAndSet(current, new Generation());
        }
    }

    private Mono<AccessToken> fetch() {
        return exchange.exchange(tokenRequest, basicAuthorization)
                .flatMap(response -> response.successful()
                        ? parse(response)
                        : Mono.error(refused(AtlasErrors.fromResponse(tokenRequest, response))))
                .retryWhen(retry);
    }

    /** A 401 is the credentials' fault: say whose, by the client id (the secret is never named). */
    private AtlasApiException refused(AtlasApiException error) {
        if (error.status() != 401) {
            return error;
        }
        return new AtlasApiException(error.status(), error.errorCode(), error.detail()
                + ": the token endpoint refused service account client id '" + clientId
                + "' (check its client secret, and that the secret has not expired or been revoked)",
                error.method(), error.endpoint(), null, null);
    }

    /** The body holds the secret token: errors describe its shape only, never its text. */
    private Mono<AccessToken> parse(AtlasResponse response) {
        JsonNode body;
        try {
            body = AtlasJson.MAPPER.readTree(response.body());
        } catch (Exception e) {
            return Mono.error(AtlasErrors.malformed(tokenRequest, response.status(), "token response is not JSON", null));
        }
        JsonNode token = body == null ? null : body.get("access_token");
        if (token == null || !token.isTextual() || token.asText().isEmpty()) {
            return Mono.error(AtlasErrors.malformed(tokenRequest, response.status(), "token response lacks access_token", null));
        }
        return Mono.just(new AccessToken(token.asText(), lifetime(body.get("expires_in"))));
    }

    /** Absent or not a number: the documented hour. Zero or negative: used once, then fetched again. Capped at a day. */
    static Duration lifetime(JsonNode expiresIn) {
        if (expiresIn == null || !expiresIn.isNumber()) {
            return DEFAULT_LIFETIME;
        }
        if (expiresIn.asDouble() <= 0) {
            return Duration.ZERO;
        }
        return expiresIn.canConvertToLong() && expiresIn.asLong() < MAX_LIFETIME.toSeconds()
                ? Duration.ofSeconds(expiresIn.asLong()) : MAX_LIFETIME;
    }

    /** One line of tokens: the cached fetch, re-run by {@code cache} itself once a token reaches 90% of its life. */
    private final class Generation {
        final Mono<AccessToken> token;
        volatile AccessToken issued;

        Generation() {
            this.token = fetch()
                    .doOnNext(fresh -> issued = fresh)
                    .cache(fresh -> fresh.lifetime().multipliedBy(9).dividedBy(10), error -> Duration.ZERO, () -> Duration.ZERO);
        }
    }

    /** A shared token: nothing is held, and a 401 retires it and asks for the next one. */
    private final class BearerGrant implements Grant {
        private final String authorization;

        BearerGrant(String authorization) {
            this.authorization = authorization;
        }

        @Override
        public String authorization() {
            return authorization;
        }

        @Override
        public Mono<Grant> answered(AtlasResponse response) {
            if (response.status() != 401) {
                return Mono.empty();
            }
            retire(authorization);
            return bearer().map(BearerGrant::new);
        }

        @Override
        public void abandoned() {
            // nothing is held: the token stays shared
        }
    }

    record AccessToken(String value, Duration lifetime) {
        @Override
        public String toString() {
            return "AccessToken[value=****, lifetime=" + lifetime + "]";
        }
    }
}
