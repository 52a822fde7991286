package io.github.atlasexport.alert;

import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** PagerDuty Events API v2. The routing key is a secret: it appears in the body only. */
public final class PagerDutySink implements Sink {
    public static final URI DEFAULT_URL = URI.create("https://events.pagerduty.com/v2/enqueue");

    private final String name;
    private final URI url;
    private final String routingKey;
    private final HttpPoster poster;

    PagerDutySink(String name, URI url, String routingKey, HttpPoster poster) {
        this.name = requireNonNull(name, "name must not be null");
        this.url = requireNonNull(url, "url must not be null");
        this.routingKey = requireNonNull(routingKey, "routingKey must not be null");
        this.poster = requireNonNull(poster, "poster must not be null");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Mono<DeliveryResult> deliver(AlertNotice notice) {
        return Mono.defer(() -> poster.post(url, Map.of(), PagerDutyPayload.render(notice, routingKey)));
    }

    @Override
    public String toString() {
        return "PagerDutySink[" + name + "]";
    }
}
