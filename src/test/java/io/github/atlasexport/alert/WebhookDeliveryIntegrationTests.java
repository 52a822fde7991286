package io.github.atlasexport.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.testing.Await;
import io.github.atlasexport.testing.Ports;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static io.github.atlasexport.alert.AlertFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real deliveries over loopback HTTP to a Reactor Netty receiver that checks signatures with its own code. */
class WebhookDeliveryIntegrationTests {
    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("a-32-byte-long-key-for-the-test!".getBytes(StandardCharsets.UTF_8));
    static final ObjectMapper JSON = new ObjectMapper();
    static final DeliveryOptions FAST = new DeliveryOptions(Duration.ofMillis(50), Duration.ofMillis(200), 0.5,
            Duration.ofSeconds(10), Duration.ofSeconds(5));

    /** One request as the receiver saw it, and what it answered. */
    record Received(String path, String headerId, String bodyId, boolean signatureValid, int answered, long atNanos,
                    Map<String, String> headers, JsonNode body) {
    }

    static DisposableServer receiver;
    static final List<Received> received = new CopyOnWriteArrayList<>();
    static final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();

    final DeliveryProbe probe = new DeliveryProbe();
    Disposable running;

    @BeforeAll
    static void startReceiver() {
        receiver = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes
                        .post("/flaky", (req, res) -> handle(req, res, WebhookDeliveryIntegrationTests::flaky))
                        .post("/gone", (req, res) -> handle(req, res, n -> 410))
                        .post("/missing", (req, res) -> handle(req, res, n -> 404))
                        .post("/moved", (req, res) -> handle(req, res.header("Location", "/ok/moved-here"), n -> 307))
                        .post("/moved-for-good", (req, res) -> handle(req,
                                res.header("Location", url("/ok/moved-for-good-here").toString()), n -> 308))
                        .post("/loop", (req, res) -> handle(req, res.header("Location", "/loop"), n -> 307))
                        // Hangs on the job named "slow", answers the others at once.
                        .post("/slow-for-one", (req, res) -> req.receive().aggregate().asString().flatMap(body ->
                                body.contains("\"job_id\":\"slow\"") ? Mono.never()
                                        : res.status(200).send().then()))
                        .post("/ok/{name}", (req, res) -> handle(req, res, n -> 200))
                        .post("/hang", (req, res) -> req.receive().then(Mono.never())))
                .bindNow();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.disposeNow();
    }

    /** Each test counts its receiver's requests from 1 and sees only its own. */
    @BeforeEach
    void forgetEarlierRequests() {
        synchronized (received) {
            received.clear();
            counters.clear();
        }
    }

    @AfterEach
    void stopDispatcher() {
        if (running != null) {
            running.dispose();
        }
    }

    /** 503 twice, then 429 with Retry-After: 1, then 200 for good. */
    static int flaky(int request) {
        return request <= 2 ? 503 : request == 3 ? 429 : 200;
    }

    interface Script {
        int status(int request);
    }

    static Mono<Void> handle(HttpServerRequest request, HttpServerResponse response, Script script) {
        return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap(body -> {
            String path = request.uri();
            Map<String, String> headers = new ConcurrentHashMap<>();
            request.requestHeaders().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
            JsonNode json = parse(body);
            String bodyId = json != null && json.has("id") ? json.get("id").asText() : null;
            boolean signatureValid = verify(headers, body);
            int status;
            // Up to 4 alerts arrive side by side: the script's count and the record order must agree.
            synchronized (received) {
                status = script.status(counters.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet());
                received.add(new Received(path, headers.get("webhook-id"), bodyId, signatureValid, status,
                        System.nanoTime(), headers, json));
            }
            if (status == 429) {
                response.header("Retry-After", "1");
            }
            return response.status(HttpResponseStatus.valueOf(status)).sendString(Mono.just("{\"answer\":" + status + "}"))
                    .then();
        });
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Standard Webhooks verification as a receiver would write it: key from the whsec_ secret, HMAC over
     * "id.timestamp.body", any of the space-separated v1 signatures may match, timestamp within 5 minutes.
     */
    static boolean verify(Map<String, String> headers, String body) {
        String id = headers.get("webhook-id");
        String timestamp = headers.get("webhook-timestamp");
        String signatures = headers.get("webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring("whsec_".length())), "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            for (String candidate : signatures.split(" ")) {
                String[] parts = candidate.split(",", 2);
                if (parts.length == 2 && parts[0].equals("v1")
                        && MessageDigest.isEqual(expected, Base64.getDecoder().decode(parts[1]))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    static URI url(String path) {
        return URI.create("http://127.0.0.1:" + receiver.port() + path);
    }

    static MonitorConfig.Sink webhook(String path, String secret) {
        return new MonitorConfig.Sink("webhook", url(path), secret, null, Map.of("X-Team", "data-platform"));
    }

    static List<Received> receivedAt(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    static List<AlertNotice> notices(String... jobIds) {
        List<AlertNotice> notices = new ArrayList<>();
        for (String jobId : jobIds) {
            ExportJob job = failedJob(jobId);
            notices.addAll(AlertRules.evaluate(AlertState.empty(), ok(T0, List.of(changed(job, "InProgress", T0)), job),
                    T0, ALERTS, STUCK).notices());
        }
        return notices;
    }

    AlertDispatcher start(List<MonitorConfig.Sink> configs) {
        return start(configs, FAST);
    }

    AlertDispatcher start(List<MonitorConfig.Sink> configs, DeliveryOptions options) {
        List<Sink> sinks = AlertSinks.create(configs, SinkOptions.create().withResponseTimeout(Duration.ofSeconds(2)),
                List::of);
        AlertDispatcher dispatcher = new AlertDispatcher(sinks, List.of(), options, probe, Schedulers.parallel(),
                Math::random);
        running = running == null ? dispatcher.start() : Disposables.composite(running, dispatcher.start());
        return dispatcher;
    }

    static void await(String what, BooleanSupplier condition) {
        Await.until(Duration.ofSeconds(30), () -> what, condition);
    }

    @Test
    void everyAlertArrivesExactlyOnceAsSuccessThroughOutagesAndRateLimits() throws Exception {
        AlertDispatcher dispatcher = start(List.of(webhook("/flaky", SECRET)));
        List<AlertNotice> notices = notices("a1", "a2", "a3");
        dispatcher.enqueue(notices);
        await("all delivered", () -> probe.sent.size() == 3);

        List<Received> requests = receivedAt("/flaky");
        assertEquals(List.of(503, 503, 429, 200, 200, 200), requests.stream().map(Received::answered).toList());
        for (Received request : requests) {
            assertTrue(request.signatureValid(), "signature of " + request.bodyId());
            assertEquals(request.bodyId(), request.headerId());
            assertEquals("application/json", request.headers().get("content-type"));
            assertEquals("data-platform", request.headers().get("x-team"));
        }
        Map<String, Long> successes = requests.stream().filter(r -> r.answered() == 200)
                .collect(Collectors.groupingBy(Received::bodyId, Collectors.counting()));
        assertEquals(notices.stream().collect(Collectors.toMap(AlertNotice::id, n -> 1L)), successes);
        // Alerts go side by side, each with its own retries: the 429 delays only the alert it answered.
        Received limited = requests.get(2);
        Received retried = requests.stream().filter(r -> r.bodyId().equals(limited.bodyId()))
                .filter(r -> r.atNanos() > limited.atNanos()).findFirst().orElseThrow();
        long afterRetryAfter = retried.atNanos() - limited.atNanos();
        assertTrue(afterRetryAfter >= Duration.ofMillis(950).toNanos(), "Retry-After: 1 honoured, waited "
                + Duration.ofNanos(afterRetryAfter).toMillis() + " ms");
        assertEquals(List.of(), dispatcher.pending());
    }

    @Test
    void goneIsDeadAtOnceAndANotFoundIsRetriedUntilMaxAge() throws Exception {
        AlertDispatcher dispatcher = start(List.of(webhook("/gone", SECRET), webhook("/missing", SECRET)),
                FAST.withMaxAge(Duration.ofMillis(1500)));
        List<AlertNotice> notices = notices("b1");
        long enqueued = System.nanoTime();
        dispatcher.enqueue(notices);
        await("dead on both sinks", () -> dispatcher.deadLetters().size() == 2);
        // Seen dead no sooner than maxAge (1.5 s) after it was queued. (The gap between the first and the last request
        // is no measure: on a busy machine the first can leave late and the last answer come back late.)
        long gaveUpAfter = System.nanoTime() - enqueued;
        assertEquals(1, receivedAt("/gone").size(), "410 is not retried");
        assertTrue(receivedAt("/missing").size() >= 2, "404 is retried: " + receivedAt("/missing").size());
        assertTrue(gaveUpAfter >= Duration.ofMillis(1400).toNanos(), "retried for its maxAge (less clock rounding), not "
                + Duration.ofNanos(gaveUpAfter).toMillis() + " ms");
        assertEquals(List.of(notices.get(0).id(), notices.get(0).id()),
                dispatcher.deadLetters().stream().map(DeadLetter::id).toList());
        assertEquals(List.of(), dispatcher.pending());
        assertEquals(List.of(), probe.sent);
    }

    @Test
    void a307Or308IsFollowedWithTheSameBodyAndSignatureAndALoopIsNot() throws Exception {
        AlertDispatcher dispatcher = start(List.of(webhook("/moved", SECRET), webhook("/moved-for-good", SECRET)));
        List<AlertNotice> notices = notices("r1");
        dispatcher.enqueue(notices);
        await("delivered through both redirects", () -> probe.sent.size() == 2);
        for (String path : List.of("/moved", "/moved-for-good")) {
            Received first = receivedAt(path).get(0);
            Received landed = receivedAt("/ok" + path + "-here").get(0);
            assertEquals(first.body(), landed.body(), "same body after the redirect");
            assertEquals(notices.get(0).id(), landed.headerId());
            assertTrue(landed.signatureValid());
            assertEquals(first.headers().get("webhook-signature"), landed.headers().get("webhook-signature"));
        }

        AlertDispatcher looping = start(List.of(webhook("/loop", null)));
        looping.enqueue(notices("r2"));
        await("a redirect loop given up on", () -> receivedAt("/loop").size() >= HttpPoster.MAX_REDIRECTS + 1);
        await("and retried later", () -> looping.pending().get(0).attempts() >= 1);
        assertTrue(looping.pending().get(0).lastError().contains("more than 5 redirects"),
                looping.pending().get(0).lastError());
    }

    @Test
    void aReceiverSlowForOneAlertDoesNotStopTheNext() throws Exception {
        AlertDispatcher dispatcher = start(List.of(webhook("/slow-for-one", null)));
        dispatcher.enqueue(notices("slow", "quick"));
        await("the quick one delivered while the slow one hangs", () -> probe.sent.size() == 1);
        assertEquals(1, dispatcher.pending().size());
        assertEquals("slow", dispatcher.pending().get(0).notice().labels().get("job_id"));
    }

    @Test
    void aHangingSinkDoesNotHoldBackAnother() throws Exception {
        AlertDispatcher dispatcher = start(List.of(webhook("/hang", null), webhook("/ok/quick", null)));
        dispatcher.enqueue(notices("c1", "c2"));
        await("the healthy sink delivered both", () -> probe.sent.size() == 2);
        assertEquals(2, receivedAt("/ok/quick").size());
        assertEquals(List.of("webhook:127.0.0.1:" + receiver.port() + "#2", "webhook:127.0.0.1:" + receiver.port() + "#2"),
                probe.sent);
        assertEquals(2, dispatcher.queueSize("webhook:127.0.0.1:" + receiver.port()));
        Received unsigned = receivedAt("/ok/quick").get(0);
        assertFalse(unsigned.headers().containsKey("webhook-signature"));
        assertEquals(unsigned.bodyId(), unsigned.headerId());
    }

    @Test
    void slackAndPagerDutySinksPostTheirDocumentedBodies() throws Exception {
        AlertDispatcher dispatcher = start(List.of(
                new MonitorConfig.Sink("slack", url("/ok/slack"), null, null, null),
                new MonitorConfig.Sink("pagerduty", url("/ok/pagerduty"), null, "R0UT1NG", null)));
        dispatcher.enqueue(notices("d1"));
        await("both sinks delivered", () -> probe.sent.size() == 2);
        JsonNode slack = receivedAt("/ok/slack").get(0).body();
        assertEquals("header", slack.get("blocks").get(0).get("type").asText());
        JsonNode pagerDuty = receivedAt("/ok/pagerduty").get(0).body();
        assertEquals("R0UT1NG", pagerDuty.get("routing_key").asText());
        assertEquals("trigger", pagerDuty.get("event_action").asText());
    }

    @Test
    void networkErrorsAreRetryableAndNeverShowTheUrlsToken() throws Exception {
        int closedPort = Ports.free();
        URI slackUrl = URI.create("http://127.0.0.1:" + closedPort + "/services/T000/B000/S3CR3TT0K3N");
        Sink slack = AlertSinks.create(List.of(new MonitorConfig.Sink("slack", slackUrl, null, null, null)),
                SinkOptions.create(), List::of).get(0);
        DeliveryResult result = slack.deliver(notices("e1").get(0)).block(Duration.ofSeconds(10));
        assertEquals(DeliveryResult.Outcome.RETRY, result.outcome());
        assertEquals(0, result.status());
        assertFalse(result.detail().contains("S3CR3TT0K3N"), result.detail());
        assertFalse(slack.name().contains("S3CR3TT0K3N"));
        assertFalse(slack.toString().contains("S3CR3TT0K3N"));
    }
}
