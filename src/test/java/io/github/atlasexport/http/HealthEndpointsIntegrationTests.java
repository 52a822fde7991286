package io.github.atlasexport.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.monitor.Discovery;
import io.github.atlasexport.monitor.LiveTargets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /-/healthy} and {@code /-/ready} follow what the runtime tells the server, over real HTTP. */
class HealthEndpointsIntegrationTests {
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean healthy = new AtomicBoolean(true);
    private final LiveTargets live = new LiveTargets();
    private final MonitorHttpServer server = new MonitorHttpServer(new ObjectMapper(), live,
            accept -> new MetricsScraper.Scrape("text/plain", new byte[0]), List::of, ready::get, healthy::get, DeadLetterDesk.NONE)
            .start("127.0.0.1", 0);

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthyAnswers503OncePollingHasStopped() {
        assertEquals("200 Healthy", get("/-/healthy"));
        assertEquals("503 Not ready: not every target was tried yet", get("/-/ready"));
        ready.set(true);
        assertEquals("200 Ready", get("/-/ready"));
        healthy.set(false);
        assertEquals("503 Unhealthy: polling has stopped", get("/-/healthy"));
    }

    @Test
    void theStatusPageShowsAProjectWhoseDiscoveryFails() {
        live.record(new Discovery("5f0a1b2c3d4e5f6a7b8c9d02", Instant.now(), new IllegalStateException("503 <from> Atlas")));
        String page = get("/");
        assertTrue(page.contains("Cluster discovery") && page.contains("5f0a1b2c3d4e5f6a7b8c9d02")
                && page.contains("503 &lt;from&gt; Atlas"), page);
    }

    private String get(String path) {
        return HttpClient.newConnection()
                .get()
                .uri("http://127.0.0.1:" + server.port() + path)
                .responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> response.status().code() + " " + text.strip()))
                .block(Duration.ofSeconds(5));
    }
}
