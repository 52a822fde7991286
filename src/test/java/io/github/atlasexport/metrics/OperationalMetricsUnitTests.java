package io.github.atlasexport.metrics;

import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.ExchangeListener.Exchange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.github.atlasexport.metrics.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metrics about the monitor's own work: Atlas API exchanges, alert deliveries, the JVM. */
class OperationalMetricsUnitTests {

    private final ExportMetrics metrics = bareMetrics();

    @Test
    void exchangeListenerCountsRequestsAndRateLimits() {
        var listener = metrics.exchangeListener();
        String exports = "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports";
        listener.onExchange(new Exchange("GET", exports, 401, GROUP));
        listener.onExchange(new Exchange("GET", exports, 200, GROUP));
        listener.onExchange(new Exchange("GET", exports, 200, GROUP));
        listener.onExchange(new Exchange("GET", exports, 429, GROUP));
        listener.onExchange(new Exchange("GET", "/api/atlas/v2/groups", 429, null));
        listener.onExchange(new Exchange("POST", exports, 0, GROUP));

        String text = metrics.scrape(null).text();

        assertEquals(List.of(
                "atlas_export_api_requests_total{endpoint=\"/api/atlas/v2/groups\",method=\"GET\",status=\"429\"} 1.0",
                "atlas_export_api_requests_total{endpoint=\"" + exports + "\",method=\"GET\",status=\"200\"} 2.0",
                "atlas_export_api_requests_total{endpoint=\"" + exports + "\",method=\"GET\",status=\"401\"} 1.0",
                "atlas_export_api_requests_total{endpoint=\"" + exports + "\",method=\"GET\",status=\"429\"} 1.0",
                "atlas_export_api_requests_total{endpoint=\"" + exports + "\",method=\"POST\",status=\"0\"} 1.0"),
                lines(text, "atlas_export_api_requests_total{"));
        assertEquals(List.of(
                "atlas_export_api_rate_limited_total{group_id=\"\"} 1.0",
                "atlas_export_api_rate_limited_total{group_id=\"" + GROUP + "\"} 1.0"),
                lines(text, "atlas_export_api_rate_limited_total{"));
        assertTrue(text.contains("# TYPE atlas_export_api_requests_total counter\n"), text);
    }

    @Test
    void skippedJobsAndTheRateLimitBudgetAreExposed() {
        var listener = metrics.exchangeListener();
        listener.onUnparsableJob(GROUP, "Cluster0");
        listener.onUnparsableJob(GROUP, "Cluster0");
        listener.onRateLimitRemaining(GROUP, 1190);
        listener.onRateLimitRemaining(GROUP, 1187);

        String text = metrics.scrape(null).text();

        assertEquals(List.of("atlas_export_jobs_unparsable_total{cluster_name=\"Cluster0\",group_id=\"" + GROUP + "\"} 2.0"),
                lines(text, "atlas_export_jobs_unparsable_total{"));
        assertEquals(List.of("atlas_export_api_rate_limit_remaining{group_id=\"" + GROUP + "\"} 1187.0"),
                lines(text, "atlas_export_api_rate_limit_remaining{"));
    }

    @Test
    void alertDeliveriesAndQueuesAreExposed() {
        AtomicInteger queued = new AtomicInteger(3);
        metrics.alertQueue("webhook:hooks.example.com", queued::get);
        metrics.alertSent("webhook:hooks.example.com", "AtlasExportJobFailed");
        metrics.alertSent("webhook:hooks.example.com", "AtlasExportJobFailed");
        metrics.alertFailed("slack:hooks.slack.com", "AtlasExportJobStuck");
        queued.set(1);

        String text = metrics.scrape(null).text();

        assertEquals(List.of("atlas_export_alert_queue{sink=\"webhook:hooks.example.com\"} 1.0"),
                lines(text, "atlas_export_alert_queue{"));
        assertEquals(List.of("atlas_export_alerts_sent_total{alertname=\"AtlasExportJobFailed\",sink=\"webhook:hooks.example.com\"} 2.0"),
                lines(text, "atlas_export_alerts_sent_total{"));
        assertEquals(List.of("atlas_export_alerts_failed_total{alertname=\"AtlasExportJobStuck\",sink=\"slack:hooks.slack.com\"} 1.0"),
                lines(text, "atlas_export_alerts_failed_total{"));
    }

    @Test
    void shardInfoAndTheClustersOwnedAreExposed() {
        AtomicInteger clusters = new AtomicInteger(34);
        metrics.shard(2, 3, clusters::get);
        clusters.set(33);

        String text = metrics.scrape(null).text();

        assertEquals(List.of("atlas_export_shard_info{shard=\"2\",shards=\"3\"} 1"), lines(text, "atlas_export_shard_info{"));
        assertTrue(text.contains("\natlas_export_shard_clusters 33.0\n"), text);
        assertTrue(text.contains("# TYPE atlas_export_shard_clusters gauge\n"), text);
    }

    @Test
    void createAddsJvmAndProcessSelfMetrics() {
        try (ExportMetrics withSelf = ExportMetrics.create("1.2.3", ApiVersion.V1_0, WINDOW)) {
            String text = withSelf.scrape(null).text();
            assertTrue(text.contains("atlas_export_build_info{api_version=\"v1.0\",version=\"1.2.3\"} 1\n"), text);
            assertTrue(text.contains("# TYPE jvm_memory_used_bytes gauge\n"), text);
            assertTrue(text.contains("# TYPE process_uptime_seconds gauge\n"), text);
            assertFalse(text.contains("process_cpu_time_ns_total"), text);
        }
    }
}
