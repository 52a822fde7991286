package io.github.atlasexport.alert;

import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.Map;

/** A Slack incoming webhook. Its URL is a secret (the token is the path), so it is never logged. */
public final class SlackSink extends HttpSink {

    SlackSink(String name, URI url, Map<String, String> headers, HttpPoster poster) {
        super(name, url, headers, poster);
    }

    @Override
    public Mono<DeliveryResult> deliver(AlertNotice notice) {
        return Mono.defer(() -> post(url, Map.of(), SlackPayload.render(notice)));
    }
}
