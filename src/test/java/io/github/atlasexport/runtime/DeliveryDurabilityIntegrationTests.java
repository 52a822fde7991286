package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.testing.StateDb;
import io.github.atlasexport.testing.Await;
import io.github.atlasexport.testing.TempDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

import static io.github.atlasexport.runtime.AlertsEndToEnd.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitor in-process against the simulator and a receiver that looks into the state file as each
 * POST arrives: a notice is committed (with its id) before its first attempt; a notice the receiver
 * refuses for good is a dead letter, listed over HTTP and re-sendable.
 */
class DeliveryDurabilityIntegrationTests {
    static AtlasSimulator simulator;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One POST: the notice id, whether the state file's outbox held it on arrival, and the status answered. */
    record Post(String id, boolean savedFirst, int status) {
    }

    Path dir;
    Path statePath;
    DisposableServer receiver;
    final List<Post> posts = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startSimulator() {
        simulator = simulator();
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("delivery-durability");
        statePath = dir.resolve("state.db");
    }

    @AfterEach
    void tearDown() {
        if (receiver != null) {
            receiver.disposeNow(Duration.ofSeconds(5));
        }
        TempDirs.delete(dir);
    }

    void startReceiver(IntUnaryOperator script) {
        AtomicInteger requests = new AtomicInteger();
        receiver = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.post("/hook", (request, response) -> request.receive().aggregate()
                        .asString(StandardCharsets.UTF_8).flatMap(body -> {
                            String id = idOf(body);
                            int status = script.applyAsInt(requests.incrementAndGet());
                            posts.add(new Post(id, savedOutboxIds().contains(id), status));
                            return response.keepAlive(false).status(status).send().then();
                        }).onErrorResume(error -> response.status(500).send().then())))
                .bindNow(Duration.ofSeconds(10));
    }

    static String idOf(String body) {
        try {
            return JSON.readTree(body).path("id").asText();
        } catch (IOException e) {
            return "";
        }
    }

    Set<String> savedOutboxIds() {
        Set<String> ids = new HashSet<>();
        for (JsonNode entry : StateDb.documents(statePath, "outbox").values()) {
            ids.add(entry.path("notice").path("id").asText());
        }
        return ids;
    }

    MonitorRuntime startMonitor() {
        URI hook = URI.create("http://127.0.0.1:" + receiver.port() + "/hook");
        MonitorRuntime monitor = MonitorRuntime.start(config(simulator, List.of(webhook(hook, null)), statePath),
                FAST_RETRIES);
        awaitReady(URI.create(monitor.url()));
        return monitor;
    }

    @Test
    void aNoticeIsInTheStateFileBeforeItsFirstPost() {
        startReceiver(request -> 200);
        try (MonitorRuntime monitor = startMonitor()) {
            // Queued, not InProgress: one InProgress for 2 s would raise a stuck alert as well.
            List<String> jobs = List.of(queuedJob(simulator), queuedJob(simulator), queuedJob(simulator));
            jobs.forEach(job -> awaitMonitorSees(URI.create(monitor.url()), job, "Queued"));
            jobs.forEach(job -> setState(simulator, job, "Failed"));
            Await.until(Duration.ofSeconds(30), () -> "the three failures delivered: " + posts,
                    () -> posts.stream().map(Post::id).distinct().count() >= 3);
            assertTrue(posts.stream().allMatch(Post::savedFirst), () -> "POSTed before saved: " + posts);
        }
    }

    @Test
    void aGoneReceiverGivesADeadLetterThatIsListedAndResent() throws Exception {
        startReceiver(request -> request == 1 ? 410 : 200);
        try (MonitorRuntime monitor = startMonitor()) {
            URI base = URI.create(monitor.url());
            // Queued, not InProgress: after 2 s InProgress its stuck alert could be the one that gets the 410.
            String job = queuedJob(simulator);
            awaitMonitorSees(base, job, "Queued");
            setState(simulator, job, "Failed");
            Await.until(Duration.ofSeconds(30), () -> "a dead letter listed",
                    () -> getJson(base.resolve("api/v1/alerts?dead=true")).path("dead").size() == 1);
            JsonNode letter = getJson(base.resolve("api/v1/alerts?dead=true")).path("dead").get(0);
            String id = letter.path("id").asText();
            assertEquals(posts.get(0).id(), id);
            assertEquals("AtlasExportJobFailed", letter.path("alertname").asText());
            assertTrue(letter.path("lastError").asText().startsWith("410"), letter::toString);
            assertTrue(post(base.resolve("")).body().contains("Dead letters (1)"), "on the status page");
            Await.until(Duration.ofSeconds(30), () -> "the dead letter in the state file",
                    () -> StateDb.documents(statePath, "dead-letters").size() == 1);
            String metrics = get(base.resolve("metrics")).body();
            assertTrue(metrics.contains("atlas_export_alerts_dead_total{sink=\"webhook:127.0.0.1:" + receiver.port()
                    + "\"} 1"), metrics);

            assertEquals(404, post(base.resolve("api/v1/alerts/dead/no-such-id/resend")).statusCode());
            HttpResponse<String> resent = post(base.resolve("api/v1/alerts/dead/" + id + "/resend"));
            assertEquals(200, resent.statusCode());
            assertEquals(1, JSON.readTree(resent.body()).path("resent").asInt());
            Await.until(Duration.ofSeconds(30), () -> "re-sent and accepted: " + posts,
                    () -> posts.stream().anyMatch(p -> p.id().equals(id) && p.status() == 200));
            assertEquals(0, getJson(base.resolve("api/v1/alerts?dead=true")).path("dead").size());
        }
    }


    /** POST for the resend routes; GET (the method ignored) for the page. */
    static HttpResponse<String> post(URI uri) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
        request = uri.getPath().endsWith("/resend") ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.GET();
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
