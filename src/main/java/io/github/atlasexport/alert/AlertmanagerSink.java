package io.github.atlasexport.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Prometheus Alertmanager, API v2 ({@code POST {url}/api/v2/alerts}). Alertmanager forgets a firing
 * alert once its {@code endsAt} passes, so while a condition lasts the alert is re-sent every
 * {@code resendInterval} with {@code endsAt} four intervals ahead, as Prometheus itself does; if the
 * monitor dies its alerts expire rather than fire forever.
 */
public final class AlertmanagerSink extends HttpSink {
    private final URI alertsUrl;
    private final Supplier<List<ActiveAlert>> firing;
    private final Duration resendInterval;
    private final Duration oneShotTtl;
    private final URI generatorUrl;

    /**
     * @param firing       the alerts firing now (the rules' current state); re-sent by {@link #keepAlive()}
     * @param oneShotTtl   how long a one-shot job alert stays active in Alertmanager
     * @param generatorUrl where people can see the alert's source (the monitor's status page), or null
     */
    AlertmanagerSink(String name, URI url, Map<String, String> headers, HttpPoster poster,
                     Supplier<List<ActiveAlert>> firing, Duration resendInterval, Duration oneShotTtl, URI generatorUrl) {
        super(name, url, headers, poster);
        this.alertsUrl = alertsUrl(url);
        this.firing = requireNonNull(firing, "firing must not be null");
        this.resendInterval = requireNonNull(resendInterval, "resendInterval must not be null");
        this.oneShotTtl = requireNonNull(oneShotTtl, "oneShotTtl must not be null");
        this.generatorUrl = generatorUrl;
    }

    @Override
    public Mono<DeliveryResult> deliver(AlertNotice notice) {
        return Mono.defer(() -> {
            Instant endsAt = AlertmanagerPayload.endsAt(notice, poster.clock().instant(), validity(), oneShotTtl);
            return post(List.of(AlertmanagerPayload.alert(notice, endsAt, generatorUrl)));
        });
    }

    @Override
    public Optional<Duration> keepAliveInterval() {
        return Optional.of(resendInterval);
    }

    @Override
    public Mono<DeliveryResult> keepAlive() {
        return Mono.defer(() -> {
            Instant endsAt = poster.clock().instant().plus(validity());
            List<ObjectNode> alerts = firing.get().stream()
                    .map(alert -> AlertmanagerPayload.alert(alert.labels(), alert.annotations(), alert.startsAt(),
                            endsAt, generatorUrl))
                    .toList();
            return alerts.isEmpty() ? Mono.empty() : post(alerts);
        });
    }

    private Duration validity() {
        return resendInterval.multipliedBy(4);
    }

    private Mono<DeliveryResult> post(List<ObjectNode> alerts) {
        return post(alertsUrl, Map.of(), AlertmanagerPayload.render(alerts));
    }

    private static URI alertsUrl(URI base) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + "/api/v2/alerts");
    }
}
