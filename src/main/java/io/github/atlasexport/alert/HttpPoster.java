package io.github.atlasexport.alert;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * POSTs a JSON body and turns whatever happens into a {@link DeliveryResult}; shared by the HTTP sinks.
 * A 307 or 308 is followed with the same method, headers and body, up to {@link #MAX_REDIRECTS} hops,
 * to the same scheme or from http to https (never from https to http, which would put a signed body
 * on the wire in clear); other redirects are answers like any other non-2xx.
 */
final class HttpPoster {
    static final int MAX_REDIRECTS = 5;
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

    /** The same poster with another response timeout (a sink's own {@code timeout}). */
    HttpPoster withResponseTimeout(Duration timeout) {
        return new HttpPoster(client.responseTimeout(timeout), clock);
    }

    Mono<DeliveryResult> post(URI url, Map<String, String> headers, byte[] body) {
        return post(url, headers, body, 0);
    }

    private Mono<DeliveryResult> post(URI url, Map<String, String> headers, byte[] body, int hops) {
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
                        .map(kept -> {
                            int status = response.status().code();
                            if (status == 307 || status == 308) {
                                return new Answer(null, redirect(url, response.responseHeaders()
                                        .get(HttpHeaderNames.LOCATION), hops, status));
                            }
                            return new Answer(DeliveryResult.ofResponse(status, response.status().reasonPhrase(),
                                    response.responseHeaders().get(HttpHeaderNames.RETRY_AFTER),
                                    kept.toString(), clock.instant()), null);
                        }))
                .next()
                .flatMap(answer -> answer.result() != null ? Mono.just(answer.result())
                        : answer.redirect().target() != null
                        ? post(answer.redirect().target(), headers, body, hops + 1)
                        : Mono.just(answer.redirect().refused()))
                .onErrorResume(error -> Mono.just(DeliveryResult.retry(0, describe(error, url), null)));
    }

    private record Answer(DeliveryResult result, Redirect redirect) {
    }

    /** Where a 307/308 leads, or why it is not followed. */
    private record Redirect(URI target, DeliveryResult refused) {
    }

    /** Location is never quoted: it may carry a token, as the sink's own URL may. */
    static Redirect redirect(URI from, String location, int hops, int status) {
        String why;
        URI target = null;
        if (hops >= MAX_REDIRECTS) {
            why = "more than " + MAX_REDIRECTS + " redirects";
        } else if (location == null || location.isBlank()) {
            why = "redirect without a Location";
        } else {
            try {
                target = from.resolve(location.strip());
            } catch (IllegalArgumentException e) {
                target = null;
            }
            String scheme = target == null || target.getScheme() == null ? "" : target.getScheme().toLowerCase();
            if (!scheme.equals("http") && !scheme.equals("https") || target.getHost() == null) {
                why = "redirect to a Location that is not an http(s) URL";
                target = null;
            } else if (from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
                why = "redirect from https to http refused";
                target = null;
            } else {
                return new Redirect(target, null);
            }
        }
        return new Redirect(null, DeliveryResult.retry(status, status + " " + why, null));
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
