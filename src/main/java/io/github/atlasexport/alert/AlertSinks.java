package io.github.atlasexport.alert;

import io.github.atlasexport.config.MonitorConfig;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/** Builds the configured sinks (SPEC section 3, {@code alerts.sinks}). */
public final class AlertSinks {

    private AlertSinks() {
    }

    /**
     * @param options its {@code responseTimeout} is the timeout of sinks that set none ({@code alerts.delivery.timeout})
     * @param firing the alerts firing now, for sinks that re-send them (Alertmanager)
     * @return one sink per entry, in config order, with unique names: a repeated
     *         {@link MonitorConfig.Sink#name()} (two Slack channels, say) gets "#2", "#3", ... The
     *         {@link Sink#outboxKey() outbox key} follows the destination instead, see {@link #outboxKey}.
     */
    public static List<Sink> create(List<MonitorConfig.Sink> configs, SinkOptions options,
                                    Supplier<List<ActiveAlert>> firing) {
        requireNonNull(options, "options must not be null");
        HttpClient client = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .responseTimeout(options.responseTimeout());
        HttpPoster poster = new HttpPoster(client, options.clock());
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> keys = new HashMap<>();
        List<Sink> sinks = new ArrayList<>();
        for (MonitorConfig.Sink config : configs) {
            int count = names.merge(config.name(), 1, Integer::sum);
            String name = count == 1 ? config.name() : config.name() + "#" + count;
            // The same destination twice is one destination: their notices are interchangeable.
            String key = outboxKey(config);
            int copies = keys.merge(key, 1, Integer::sum);
            Duration timeout = config.timeout() != null ? config.timeout() : options.responseTimeout();
            Sink sink = create(config, name, poster.withResponseTimeout(timeout), options, firing);
            sinks.add(new KeyedSink(sink, copies == 1 ? key : key + "#" + copies, timeout));
        }
        return List.copyOf(sinks);
    }

    /**
     * {@code <type:host[:port]>@<hash>}: readable, and the same for the same destination whatever the
     * other sinks. The URL and routing key go in as a hash only, since they may be the secret
     * (Slack webhook URLs, PagerDuty routing keys).
     */
    static String outboxKey(MonitorConfig.Sink config) {
        String destination = config.type() + "\n" + config.url() + "\n" + config.routingKey();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(destination.getBytes(StandardCharsets.UTF_8));
            return config.name() + "@" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** A built sink with its outbox key and timeout (its HTTP client's too); everything else is the sink's own. */
    private record KeyedSink(Sink sink, String outboxKey, Duration attemptTimeout) implements Sink {
        @Override
        public String name() {
            return sink.name();
        }

        @Override
        public Mono<DeliveryResult> deliver(AlertNotice notice) {
            return sink.deliver(notice);
        }

        @Override
        public Optional<Duration> timeout() {
            return Optional.of(attemptTimeout);
        }

        @Override
        public Optional<Duration> keepAliveInterval() {
            return sink.keepAliveInterval();
        }

        @Override
        public Mono<DeliveryResult> keepAlive() {
            return sink.keepAlive();
        }

        @Override
        public String toString() {
            return sink.toString();
        }
    }

    private static Sink create(MonitorConfig.Sink config, String name, HttpPoster poster, SinkOptions options,
                               Supplier<List<ActiveAlert>> firing) {
        return switch (config.type()) {
            case "webhook" -> new WebhookSink(name, required(config.url(), name), config.secret(), config.headers(),
                    poster);
            case "slack" -> new SlackSink(name, required(config.url(), name), config.headers(), poster);
            case "alertmanager" -> new AlertmanagerSink(name, required(config.url(), name), config.headers(), poster, firing,
                    options.alertmanagerResendInterval(), options.oneShotTtl(), options.generatorUrl());
            case "pagerduty" -> new PagerDutySink(name, config.url() != null ? config.url() : PagerDutySink.DEFAULT_URL,
                    requireNonNull(config.routingKey(), () -> "sink " + name + ": routingKey must be set"),
                    config.headers(), poster);
            default -> throw new IllegalArgumentException("sink type '" + config.type()
                    + "' is not one of webhook, slack, alertmanager, pagerduty");
        };
    }

    private static URI required(URI url, String name) {
        return requireNonNull(url, () -> "sink " + name + ": url must be set");
    }
}
