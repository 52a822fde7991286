package io.github.atlasexport.alert;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Settings shared by the HTTP sinks.
 *
 * @param alertmanagerResendInterval how often firing alerts are re-sent to Alertmanager; well under
 *                                   its default {@code resolve_timeout} of 5m
 * @param oneShotTtl                 how long Alertmanager keeps a one-shot job alert before it clears itself
 * @param generatorUrl               the monitor's own page, linked from Alertmanager alerts; may be null
 */
public record SinkOptions(Duration connectTimeout, Duration responseTimeout, Duration alertmanagerResendInterval,
                          Duration oneShotTtl, URI generatorUrl, Clock clock) {
    public SinkOptions {
        requireNonNull(connectTimeout, "connectTimeout must not be null");
        requireNonNull(responseTimeout, "responseTimeout must not be null");
        requireNonNull(alertmanagerResendInterval, "alertmanagerResendInterval must not be null");
        requireNonNull(oneShotTtl, "oneShotTtl must not be null");
        requireNonNull(clock, "clock must not be null");
    }

    public static SinkOptions create() {
        return new SinkOptions(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(1),
                Duration.ofHours(1), null, Clock.systemUTC());
    }

    public SinkOptions withGeneratorUrl(URI url) {
        return new SinkOptions(connectTimeout, responseTimeout, alertmanagerResendInterval, oneShotTtl, url, clock);
    }

    public SinkOptions withResponseTimeout(Duration timeout) {
        return new SinkOptions(connectTimeout, timeout, alertmanagerResendInterval, oneShotTtl, generatorUrl, clock);
    }
}
