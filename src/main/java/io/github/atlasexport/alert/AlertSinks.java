package io.github.atlasexport.alert;

import io.github.atlasexport.config.MonitorConfig;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/** Builds the configured sinks (SPEC section 3, {@code alerts.sinks}). */
public final class AlertSinks {

    private AlertSinks() {
    }

    /**
     * @param firing the alerts firing now, for sinks that re-send them (Alertmanager)
     * @return one sink per entry, in config order, with unique names: a repeated
     *         {@link MonitorConfig.Sink#name()} (two Slack channels, say) gets "#2", "#3", ...
     */
    public static List<Sink> create(List<MonitorConfig.Sink> configs, SinkOptions options,
                                    Supplier<List<ActiveAlert>> firing) {
        requireNonNull(options, "options must not be null");
        HttpClient client = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .responseTimeout(options.responseTimeout());
        HttpPoster poster = new HttpPoster(client, options.clock());
        Map<String, Integer> seen = new HashMap<>();
        List<Sink> sinks = new ArrayList<>();
        for (MonitorConfig.Sink config : configs) {
            int count = seen.merge(config.name(), 1, Integer::sum);
            String name = count == 1 ? config.name() : config.name() + "#" + count;
            sinks.add(create(config, name, poster, options, firing));
        }
        return List.copyOf(sinks);
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
