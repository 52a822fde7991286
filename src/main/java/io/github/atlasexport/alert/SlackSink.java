package io.github.atlasexport.alert;

import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** A Slack incoming webhook. Its URL is a secret (the token is the path), so it is never logged. */
public final class SlackSink implements Sink {
    private final String name;
    private final URI url;
    private final HttpPoster poster;

    SlackSink(String name, URI url, HttpPoster poster) {
        this.name = requireNonNull(name, "name must not be null");
        this.url = requireNonNull(url, "url must not be null");
        this.poster = requireNonNull(poster, "poster must not be null");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Mono<DeliveryResult> deliver(AlertNotice notice) {
        return Mono.defer(() -> poster.post(url, Map.of(), SlackPayload.render(notice)));
    }

    @Override
    public String toString() {
        return "SlackSink[" + name + "]";
    }
}
