package io.github.atlasexport.config;

import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.config.MonitorConfig.Poll;
import io.github.atlasexport.config.MonitorConfig.Server;
import io.github.atlasexport.config.MonitorConfig.State;
import io.github.atlasexport.config.MonitorConfig.Stuck;
import io.github.atlasexport.config.MonitorConfig.Threshold;
import io.github.atlasexport.config.MonitorConfig.Toggle;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** The defaults of SPEC section 3, for every key that has one. */
public final class ConfigDefaults {

    public static final URI BASE_URL = URI.create("https://cloud.mongodb.com");
    public static final ApiVersion API_VERSION = ApiVersion.V2;
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final int MAX_CONCURRENCY = 8;
    public static final int REQUESTS_PER_MINUTE = 60;

    public static final Poll POLL = new Poll(Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofDays(7));

    public static final Toggle FAILED = new Toggle(true, "critical");
    public static final Toggle CANCELLED = new Toggle(true, "warning");
    public static final Stuck STUCK = new Stuck(Duration.ofHours(6), Duration.ofHours(1), "warning");
    public static final Threshold NO_RECENT_SUCCESS = new Threshold(Duration.ZERO, "warning");
    public static final Threshold TARGET_DOWN = new Threshold(Duration.ofMinutes(10), "warning");
    public static final MonitorConfig.Delivery DELIVERY = new MonitorConfig.Delivery(Duration.ofHours(24),
            Duration.ofSeconds(10));
    /** Bounds of a delivery timeout: long enough for a real receiver, short enough not to hold a slot for long. */
    public static final Duration MIN_DELIVERY_TIMEOUT = Duration.ofMillis(100);
    public static final Duration MAX_DELIVERY_TIMEOUT = Duration.ofMinutes(5);
    /** A notice is retried at least a minute before it is given up on (and at most 30 days: the state store keeps it). */
    public static final Duration MIN_DELIVERY_MAX_AGE = Duration.ofMinutes(1);
    public static final Duration MAX_DELIVERY_MAX_AGE = Duration.ofDays(30);
    public static final MonitorConfig.Overdue OVERDUE = new MonitorConfig.Overdue(Duration.ofHours(6), "warning");
    public static final MonitorConfig.BucketFailing BUCKET_FAILING = new MonitorConfig.BucketFailing(3, "critical");
    public static final MonitorConfig.Coverage COVERAGE = new MonitorConfig.Coverage(true, Duration.ofMinutes(15));
    public static final URI PAGERDUTY_URL = URI.create("https://events.pagerduty.com/v2/enqueue");

    public static final MonitorConfig.Remediation REMEDIATION = new MonitorConfig.Remediation(
            new MonitorConfig.RetryFailed(false, Duration.ofMinutes(15), 2, false, java.util.List.of()));

    public static final Server SERVER = new Server("0.0.0.0", 9871);
    public static final State STATE = new State(Path.of("data/state.db"));

    private ConfigDefaults() {
    }
}
