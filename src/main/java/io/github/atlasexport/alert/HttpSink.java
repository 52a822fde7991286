package io.github.atlasexport.alert;

import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What every HTTP sink shares: its name, where it posts, the extra headers of its config, and the
 * poster. The URL may carry a token (Slack), so only the name ever reaches logs or {@code toString}.
 */
abstract class HttpSink implements Sink {
    private final String name;
    final URI url;
    private final Map<String, String> headers;
    final HttpPoster poster;

    HttpSink(String name, URI url, Map<String, String> headers, HttpPoster poster) {
        this.name = requireNonNull(name, "name must not be null");
        this.url = requireNonNull(url, "url must not be null");
        this.headers = Map.copyOf(headers);
        this.poster = requireNonNull(poster, "poster must not be null");
    }

    @Override
    public final String name() {
        return name;
    }

    /** Posts {@code body} with the configured headers plus {@code extra} (which win on a clash). */
    final Mono<DeliveryResult> post(URI target, Map<String, String> extra, byte[] body) {
        Map<String, String> request = new LinkedHashMap<>(headers);
        request.putAll(extra);
        return poster.post(target, request, body);
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }
}
