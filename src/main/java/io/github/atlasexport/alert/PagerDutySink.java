package io.github.atlasexport.alert;

import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** PagerDuty Events API v2. The routing key is a secret: it appears in the body only. */
public final class PagerDutySink extends HttpSink {
    public static final URI DEFAULT_URL = URI.create("https://events.pagerduty.com/v2/enqueue");

    private final String routingKey;

    PagerDutySink(String name, URI url, String routingKey, Map<String, String> headers, HttpPoster poster) {
        super(name, url, headers, poster);
        this.routingKey = requireNonNull(routingKey, "routingKey must not be null");
    }

    @Override
    public Mono<DeliveryResult> deliver(AlertNotice notice) {
        return Mono.defer(() -> post(url, Map.of(), PagerDutyPayload.render(notice, routingKey)));
    }
}
