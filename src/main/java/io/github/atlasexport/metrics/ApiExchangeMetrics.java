package io.github.atlasexport.metrics;

import io.github.atlasexport.atlas.ExchangeListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Counts every HTTP exchange with Atlas. The client reports endpoint templates, never URLs, so the
 * label sets stay few. Runs on the event loop: a counter increment is a lock-free add.
 */
final class ApiExchangeMetrics implements ExchangeListener {

    private final Counter requests;
    private final Counter rateLimited;
    private final Gauge rateLimitRemaining;
    private final Counter unparsableJobs;

    ApiExchangeMetrics(PrometheusRegistry registry) {
        requests = Counter.builder()
                .name("atlas_export_api_requests_total")
                .help("HTTP exchanges with the Atlas Admin API, auth challenges included;"
                        + " status=\"0\" when no response arrived (timeout, reset).")
                .labelNames("method", "endpoint", "status")
                .withoutExemplars()
                .register(registry);
        rateLimited = Counter.builder()
                .name("atlas_export_api_rate_limited_total")
                .help("HTTP 429 responses received from Atlas, by project (group_id empty outside a project).")
                .labelNames("group_id")
                .withoutExemplars()
                .register(registry);
        rateLimitRemaining = Gauge.builder()
                .name("atlas_export_api_rate_limit_remaining")
                .help("The last RateLimit-Remaining Atlas sent for the project (group_id empty outside a project);"
                        + " the client paces the project's requests when it runs low.")
                .labelNames("group_id")
                .withoutExemplars()
                .register(registry);
        unparsableJobs = Counter.builder()
                .name("atlas_export_jobs_unparsable_total")
                .help("Export jobs skipped in a list because they had no id or a field of an unexpected type;"
                        + " counted at every list that holds them.")
                .labelNames("group_id", "cluster_name")
                .withoutExemplars()
                .register(registry);
    }

    @Override
    public void onUnparsableJob(String groupId, String clusterName) {
        unparsableJobs.labelValues(orEmpty(groupId), orEmpty(clusterName)).inc();
    }

    @Override
    public void onRateLimitRemaining(String groupId, int remaining) {
        rateLimitRemaining.labelValues(orEmpty(groupId)).set(remaining);
    }

    /** The project's 429 count shows 0 from the first scrape, not "no data" until Atlas first refuses. */
    void knownProject(String groupId) {
        rateLimited.initLabelValues(orEmpty(groupId));
    }

    @Override
    public void onExchange(Exchange exchange) {
        requests.labelValues(orEmpty(exchange.method()), orEmpty(exchange.endpoint()),
                Integer.toString(exchange.status())).inc();
        if (exchange.status() == 429) {
            rateLimited.labelValues(orEmpty(exchange.groupId())).inc();
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
