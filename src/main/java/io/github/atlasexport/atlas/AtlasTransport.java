package io.github.atlasexport.atlas;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.Logger;
import reactor.util.Loggers;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * Exactly one HTTP exchange with Atlas, bounded in time, reported to the {@link ExchangeListener}
 * (and at debug level to the log) whatever its outcome. Knows nothing of credentials (it sends the header it is given), retries or budgets.
 */
final class AtlasTransport {
    private static final Logger LOG = Loggers.getLogger(AtlasTransport.class);
    private static final String USER_AGENT = "atlas-export-monitor";
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final byte[] NO_BODY = new byte[0];
    /** A page of 500 export jobs is about 300 KB; anything near this is not an Atlas answer worth holding in memory. */
    static final int MAX_BODY_BYTES = 32 << 20;
    /** Context key: the number (from 1) of the try of the call an exchange belongs to, set by the retrying caller. */
    static final String ATTEMPT = "atlas.attempt";

    private final ConnectionProvider connections;
    private final HttpClient http;
    private final String origin;
    private final Duration timeout;
    private final ExchangeListener listener;

    AtlasTransport(URI baseUrl, Duration timeout, int maxConnections, ExchangeListener listener) {
        this.timeout = requireNonNull(timeout, "timeout must not be null");
        this.listener = requireNonNull(listener, "listener must not be null");
        // Idle connections are dropped before a typical load balancer would close them under us.
        this.connections = ConnectionProvider.builder("atlas")
                .maxConnections(maxConnections)
                .pendingAcquireTimeout(timeout)
                .maxIdleTime(Duration.ofSeconds(20))
                .build();
        this.origin = origin(baseUrl);
        this.http = HttpClient.create(connections)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) min(timeout, MAX_CONNECT_TIMEOUT).toMillis())
                .responseTimeout(timeout)
                .followRedirect(false)
                // A header Netty would refuse (a control character in a challenge) fails the exchange with a stack
                // trace logged per attempt; read leniently, the answer is judged by its status and by our own parsers.
                .httpResponseDecoder(spec -> spec.validateHeaders(false))
                .compress(true)
                .headers(h -> h.set(HttpHeaderNames.USER_AGENT, USER_AGENT));
    }

    /** Sends {@code request} with {@code authorization} (may be null) as its Authorization header. */
    Mono<AtlasResponse> exchange(AtlasRequest request, String authorization) {
        return Mono.deferContextual(context -> exchangeOnce(request, authorization,
                new Sent(System.nanoTime(), context.getOrDefault(ATTEMPT, 1))));
    }

    private Mono<AtlasResponse> exchangeOnce(AtlasRequest request, String authorization, Sent sent) {
        HttpClient.RequestSender sender = http
                .headers(h -> {
                    h.set(HttpHeaderNames.ACCEPT, request.accept());
                    if (request.contentType() != null) {
                        h.set(HttpHeaderNames.CONTENT_TYPE, request.contentType());
                    }
                    if (authorization != null) {
                        h.set(HttpHeaderNames.AUTHORIZATION, authorization);
                    }
                })
                .request(HttpMethod.valueOf(request.method()))
                // A URI, not a String: Reactor Netty's String parser takes a one-digit port for part of the
                // host name (reactor/reactor-netty#4357, fixed after 1.3.7).
                .uri(URI.create(origin + request.target()));
        HttpClient.ResponseReceiver<?> receiver = request.body() == null ? sender
                : sender.send((req, out) -> out.sendString(Mono.just(request.body()), StandardCharsets.UTF_8));
        // A refusal (401, 429, 5xx) is acted on by its status and headers (challenge, Retry-After): kept, without
        // its body, if the body then fails or times out. Only a 2xx needs its body.
        AtomicReference<AtlasResponse> refusal = new AtomicReference<>();
        return receiver
                .response((response, body) -> {
                    AtlasResponse head = new AtlasResponse(response.status().code(), response.responseHeaders(), NO_BODY);
                    if (!head.successful()) {
                        refusal.set(head);
                    }
                    return bounded(request, head.status(), response.responseHeaders(), body)
                            .map(bytes -> new AtlasResponse(head.status(), head.headers(), bytes));
                })
                .next()
                .timeout(timeout)
                .onErrorResume(error -> refusal.get() != null, error -> Mono.just(refusal.get()))
                .doOnNext(response -> report(request, response.status(), sent))
                .onErrorMap(error -> {
                    if (error instanceof AtlasApiException answered) { // a 2xx refused for its size: not retried
                        report(request, answered.status(), sent);
                        return answered;
                    }
                    report(request, 0, sent);
                    return AtlasErrors.noResponse(request, error);
                });
    }

    /** The whole body, failing as soon as it is known to be over {@link #MAX_BODY_BYTES} (announced or counted). */
    private static Mono<byte[]> bounded(AtlasRequest request, int status, HttpHeaders headers, ByteBufFlux body) {
        long announced = contentLength(headers);
        if (announced > MAX_BODY_BYTES) {
            return Mono.error(AtlasErrors.tooLarge(request, status, MAX_BODY_BYTES));
        }
        return Mono.defer(() -> {
            BodyBuffer received = new BodyBuffer(announced);
            return body.<byte[]>handle((chunk, sink) -> {
                        if (received.size() + (long) chunk.readableBytes() > MAX_BODY_BYTES) {
                            sink.error(AtlasErrors.tooLarge(request, status, MAX_BODY_BYTES));
                        } else {
                            received.append(chunk);
                        }
                    })
                    .then(Mono.fromCallable(received::bytes));
        });
    }

    /**
     * The body's bytes copied once, straight from Netty's buffers into an array of the announced size
     * (a page is parsed from it; the usual stream-and-copy path copied each page three times).
     */
    private static final class BodyBuffer {
        private byte[] bytes;
        private int size;

        BodyBuffer(long announced) {
            bytes = announced > 0 ? new byte[(int) announced] : NO_BODY;
        }

        int size() {
            return size;
        }

        void append(ByteBuf chunk) {
            int length = chunk.readableBytes();
            if (size + length > bytes.length) { // no or a wrong Content-Length (chunked, decompressed)
                bytes = Arrays.copyOf(bytes, Math.max(size + length, Math.min(MAX_BODY_BYTES, bytes.length * 2)));
            }
            chunk.readBytes(bytes, size, length);
            size += length;
        }

        byte[] bytes() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }

    private static long contentLength(HttpHeaders headers) {
        try {
            return Long.parseLong(headers.get(HttpHeaderNames.CONTENT_LENGTH, "-1").trim());
        } catch (NumberFormatException notANumber) { // the codec has already refused it, or the body is chunked
            return -1;
        }
    }

    void close() {
        connections.dispose();
    }

    /**
     * Only the method and the path template: the target's query and the headers we sent (credentials)
     * stay out of the log, as they stay out of errors.
     */
    private void report(AtlasRequest request, int status, Sent sent) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("Atlas {} {} -> {} in {} ms (attempt {})", request.method(), request.endpoint(),
                    status == 0 ? "no response" : status, (System.nanoTime() - sent.nanos()) / 1_000_000, sent.attempt());
        }
        try {
            listener.onExchange(new ExchangeListener.Exchange(request.method(), request.endpoint(), status, request.groupId()));
        } catch (RuntimeException e) { // a broken metrics hook must not fail the API call
            LOG.warn("ExchangeListener failed for {} {}", request.method(), request.endpoint(), e);
        }
    }

    /** When an exchange began, and which try of its call it is. */
    private record Sent(long nanos, int attempt) {
    }

    /** scheme://host:port only: the path of the base URL is part of every request target. */
    private static String origin(URI baseUrl) {
        return baseUrl.getScheme() + "://" + baseUrl.getRawAuthority();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
