package io.github.atlasexport.alert;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** POSTs a JSON body and turns whatever happens into a {@link DeliveryResult}; shared by the HTTP sinks. */
final class HttpPoster {
    private static final String USER_AGENT = "atlas-export-monitor";
    private static final int BODY_KEPT = 1024;

    private final HttpClient client;
    private final Clock clock;

    /** {@code client} must carry its timeouts (connect and response): this class adds none. */
    HttpPoster(HttpClient client, Clock clock) {
        this.client = requireNonNull(client, "client must not be null");
        this.clock = requireNonNull(clock, "clock must not be null");
    }

    Clock clock() {
        return clock;
    }

    Mono<DeliveryResult> post(URI url, Map<String, String> headers, byte[] body) {
        return client
                .headers(h -> {
                    h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                    h.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
                    headers.forEach(h::set);
                })
                .post()
                .uri(url)
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                // Read the answer to its end (so the connection can be reused) but keep only its start.
                .response((response, content) -> content.asString(StandardCharsets.UTF_8)
                        .reduceWith(StringBuilder::new,
                                (kept, chunk) -> kept.length() < BODY_KEPT ? kept.append(chunk) : kept)
                        .map(kept -> DeliveryResult.ofResponse(response.status().code(),
                                response.status().reasonPhrase(),
                                response.responseHeaders().get(HttpHeaderNames.RETRY_AFTER),
                                kept.toString(), clock.instant())))
                .next()
                .onErrorResume(error -> Mono.just(DeliveryResult.retry(0, describe(error, url), null)));
    }

    /** The error without the URL: Slack and PagerDuty URLs carry their token in the path. */
    static String describe(Throwable error, URI url) {
        String message = error.getMessage() == null ? "" : ": " + error.getMessage();
        String text = (error.getClass().getSimpleName() + message).replace(url.toString(), mask(url));
        String path = url.getRawPath();
        return path == null || path.length() <= 1 ? text : text.replace(path, "/***");
    }

    /** scheme://host[:port]/*** — enough to tell sinks apart, nothing to steal. */
    static String mask(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "") + "/***";
    }
}
