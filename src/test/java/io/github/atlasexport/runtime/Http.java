package io.github.atlasexport.runtime;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Plain HTTP for the monitor and simulator tests: a new connection per request, so that nothing
 * lingers to slow down a server's shutdown, and {@link #await} to wait for a condition by polling.
 */
final class Http {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Conditions hold within a few poll cycles once warm; a cold JVM on a busy machine needs more for the first poll. */
    static final Duration AWAIT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration AWAIT_EVERY = Duration.ofMillis(50);
    private static final HttpClient CLIENT = HttpClient.newConnection().responseTimeout(TIMEOUT);

    record Response(int status, String contentType, String body) {
    }

    private Http() {
    }

    static Mono<Response> get(String url, String accept) {
        return exchange(CLIENT.headers(h -> h.set(HttpHeaderNames.ACCEPT, accept)).get().uri(url));
    }

    static Response get(String url) {
        return get(url, "*/*").block(TIMEOUT);
    }

    static Response put(String url, String json) {
        return send(HttpMethod.PUT, url, json);
    }

    static Response post(String url, String json) {
        return send(HttpMethod.POST, url, json);
    }

    private static Response send(HttpMethod method, String url, String json) {
        return exchange(CLIENT.headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
                .request(method)
                .uri(url)
                .send(ByteBufFlux.fromString(Mono.just(json))))
                .block(TIMEOUT);
    }

    private static Mono<Response> exchange(HttpClient.ResponseReceiver<?> receiver) {
        return receiver.responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8)
                .defaultIfEmpty("")
                .map(text -> new Response(response.status().code(),
                        response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE), text)));
    }

    /** Runs {@code probe} every 50 ms until {@code done} accepts its value; fails naming {@code what} and the last value. */
    static <T> T await(String what, Mono<T> probe, Predicate<T> done) {
        AtomicReference<T> last = new AtomicReference<>();
        return Flux.interval(Duration.ZERO, AWAIT_EVERY)
                .onBackpressureDrop()
                .concatMap(tick -> probe, 1)
                .doOnNext(last::set)
                .filter(done)
                .next()
                .timeout(AWAIT_TIMEOUT)
                .onErrorMap(TimeoutException.class, e -> new AssertionError(
                        "gave up after " + AWAIT_TIMEOUT.toSeconds() + " s waiting for " + what + "; last seen:\n" + last.get()))
                .block();
    }
}
