package io.github.atlasexport.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.atlasexport.testing.Await;
import io.github.atlasexport.testing.LocalPrometheus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Prometheus server scrapes the metrics over loopback: once with its own Accept header, so it
 * negotiates and parses OpenMetrics strictly (promtool 2.x cannot read OpenMetrics), and once from a
 * path that always answers in the text format. Every atlas_export_* sample must arrive in both.
 */
class PrometheusScrapeIntegrationTests {

    /** Per scrape path: the Accept header Prometheus sent and the Content-Type answered. */
    private final Map<String, String[]> lastExchange = new ConcurrentHashMap<>();
    private ExportMetrics metrics;
    private HttpServer server;
    private LocalPrometheus prometheus;

    @BeforeEach
    void start(@TempDir Path dir) throws IOException {
        metrics = RealisticState.build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", ex -> serve(ex, ex.getRequestHeaders().getFirst("Accept")));
        server.createContext("/metrics-text", ex -> serve(ex, null));
        server.start();

        String target = "127.0.0.1:" + server.getAddress().getPort();
        prometheus = LocalPrometheus.start(dir, List.of(), List.of(
                new LocalPrometheus.ScrapeJob("negotiated", "/metrics", target),
                new LocalPrometheus.ScrapeJob("text", "/metrics-text", target)));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.close();
        }
        if (server != null) {
            server.stop(0);
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    @Test
    void prometheusIngestsEverySampleInOpenMetricsAndInText() throws Exception {
        awaitBothTargetsScraped();

        String[] negotiated = lastExchange.get("/metrics");
        assertTrue(negotiated[0].startsWith("application/openmetrics-text"), "Prometheus asked: " + negotiated[0]);
        assertEquals(ExportMetrics.OPENMETRICS_CONTENT_TYPE, negotiated[1]);
        assertEquals(ExportMetrics.TEXT_CONTENT_TYPE, lastExchange.get("/metrics-text")[1]);

        long expected = metrics.scrape(ExportMetrics.OPENMETRICS_CONTENT_TYPE).text().lines()
                .filter(l -> l.startsWith("atlas_export_")).count();
        assertEquals(expected, metrics.scrape(null).text().lines().filter(l -> l.startsWith("atlas_export_")).count());
        for (String job : new String[]{"negotiated", "text"}) {
            assertEquals(expected, queryValue("count({__name__=~\"atlas_export_.+\",job=\"" + job + "\"})"), job);
            assertEquals(1, queryValue("atlas_export_job_state{job=\"" + job + "\",state=\"Paused\"}"), job);
            assertEquals(1, queryValue("atlas_export_build_info{job=\"" + job + "\",version=\"0.1.0\",api_version=\"v2\"}"), job);
            assertEquals(1, queryValue("atlas_export_job_info{job=\"" + job + "\",job_id=\"65b000000000000000000001\",sharded=\"true\"}"), job);
            assertEquals(1, queryValue("atlas_export_job_duration_seconds_bucket{job=\"" + job + "\",state=\"Failed\",le=\"1800.0\"}"), job);
        }
    }

    private void serve(HttpExchange exchange, String accept) throws IOException {
        ScrapeResult scrape = metrics.scrape(accept);
        lastExchange.put(exchange.getHttpContext().getPath(),
                new String[]{String.valueOf(exchange.getRequestHeaders().getFirst("Accept")), scrape.contentType()});
        exchange.getResponseHeaders().set("Content-Type", scrape.contentType());
        exchange.sendResponseHeaders(200, scrape.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(scrape.body());
        }
    }

    /** Waits until Prometheus reports a finished scrape of both targets, and checks both went well. */
    private void awaitBothTargetsScraped() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode targets = null;
        while (System.nanoTime() < deadline) {
            targets = prometheus.get("/api/v1/targets?state=active");
            if (targets != null && targets.path("activeTargets").size() == 2
                    && allScraped(targets.path("activeTargets"))) {
                for (JsonNode t : targets.path("activeTargets")) {
                    assertEquals("up", t.path("health").asText(), t.path("scrapeUrl") + ": " + t.path("lastError").asText());
                }
                // A target's health is reported before its samples are committed; its `up` series is committed with them.
                Await.until(Duration.ofSeconds(30), () -> "the scrapes' samples queryable (`up` of both jobs)", () -> {
                    try {
                        JsonNode up = prometheus.query("up");
                        return up != null && up.size() == 2;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError(e);
                    }
                });
                return;
            }
            Thread.sleep(250);
        }
        fail("Prometheus did not scrape both targets within 60 s; targets: " + targets + "\nlog:\n" + prometheus.log());
    }

    private static boolean allScraped(JsonNode activeTargets) {
        for (JsonNode t : activeTargets) {
            if ("unknown".equals(t.path("health").asText())) {
                return false;
            }
        }
        return true;
    }

    private double queryValue(String promql) throws Exception {
        JsonNode series = prometheus.query(promql);
        if (series == null || series.size() != 1) {
            fail("expected one series for " + promql + ", got " + series);
        }
        return series.get(0).path("value").get(1).asDouble();
    }
}
