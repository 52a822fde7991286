package io.github.atlasexport.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.monitor.LiveTargets;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonitorHttpServerIntegrationTests {
    private static final Duration QUICK = Duration.ofMillis(300);
    private static final Duration LONG = Duration.ofSeconds(30);
    /** How long a test waits for the server to close a connection: far above the timeouts under test. */
    private static final int CLOSE_WAIT_MILLIS = 15_000;
    private static final Duration RENDER_TIME = Duration.ofMillis(200);

    private final AtomicInteger renders = new AtomicInteger();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    /** A scrape that takes a while, as a large one does, so that concurrent scrapes overlap it. */
    private MetricsScraper.Scrape slowScrape(String accept) {
        renders.incrementAndGet();
        try {
            Thread.sleep(RENDER_TIME.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new MetricsScraper.Scrape("text/plain; version=0.0.4", "up 1\n".getBytes(StandardCharsets.UTF_8));
    }

    private MonitorHttpServer server(ServerLimits limits) {
        MonitorHttpServer server = new MonitorHttpServer(new ObjectMapper(), new LiveTargets(), this::slowScrape,
                List::of, () -> true, () -> true, DeadLetterDesk.NONE).start("127.0.0.1", 0, limits);
        toClose.add(server);
        return server;
    }

    private Socket socket(MonitorHttpServer server) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(CLOSE_WAIT_MILLIS);
        toClose.add(socket);
        return socket;
    }

    /** Reads until the server closes the connection; fails if it does not within {@link #CLOSE_WAIT_MILLIS}. */
    private static String readUntilClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder read = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                read.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open; it sent: " + read, e);
        }
        return read.toString();
    }

    /** Reads one /-/healthy answer on a connection kept alive. */
    private static String readAnswer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder read = new StringBuilder();
        byte[] buffer = new byte[4096];
        for (int n; !read.toString().endsWith("Healthy\n") && (n = in.read(buffer)) >= 0; ) {
            read.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
        return read.toString();
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    @Test
    void aRequestThatNeverCompletesIsClosedAfterTheReadTimeout() throws IOException {
        MonitorHttpServer server = server(new ServerLimits(QUICK, LONG, 512, Duration.ofSeconds(1)));
        Socket socket = socket(server);

        long start = System.nanoTime();
        send(socket, "GET /-/healthy HTTP/1.1\r\nHost: monitor\r\nX-Slow: ");
        readUntilClosed(socket);

        // The read timeout (0.3 s), not the idle one (30 s); loose, for a busy machine.
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "closed after " + took);
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedAfterTheIdleTimeout() throws IOException {
        MonitorHttpServer server = server(new ServerLimits(LONG, QUICK, 512, Duration.ofSeconds(1)));
        Socket socket = socket(server);

        send(socket, "GET /-/healthy HTTP/1.1\r\nHost: monitor\r\n\r\n");
        String answered = readUntilClosed(socket);

        assertTrue(answered.startsWith("HTTP/1.1 200"), answered);
        assertTrue(answered.endsWith("Healthy\n"), answered);
    }

    @Test
    void closingTheServerClosesTheConnectionsKeptAlive() throws IOException {
        MonitorHttpServer server = server(new ServerLimits(LONG, LONG, 512, Duration.ofSeconds(1)));
        Socket socket = socket(server);
        send(socket, "GET /-/healthy HTTP/1.1\r\nHost: monitor\r\n\r\n");
        assertTrue(readAnswer(socket).startsWith("HTTP/1.1 200"));

        // Kept alive, it would hold the server, and through it the monitor's whole state, until the idle timeout.
        server.close();
        readUntilClosed(socket);
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnceAndTheOthersAreServed() throws IOException {
        MonitorHttpServer server = server(new ServerLimits(LONG, LONG, 3, Duration.ofSeconds(1)));
        List<Socket> held = List.of(socket(server), socket(server), socket(server));
        for (Socket socket : held) { // answered, so surely counted before the next one comes
            send(socket, "GET /-/healthy HTTP/1.1\r\nHost: monitor\r\n\r\n");
            assertTrue(readAnswer(socket).startsWith("HTTP/1.1 200"));
        }

        assertEquals("", readUntilClosed(socket(server)));
        for (Socket socket : held) {
            send(socket, "GET /-/healthy HTTP/1.1\r\nHost: monitor\r\nConnection: close\r\n\r\n");
            assertTrue(readUntilClosed(socket).startsWith("HTTP/1.1 200"));
        }
    }

    private record Answer(int status, String retryAfter) {
    }

    /** {@code requests} scrapes at once, each on its own connection, with the Accept header {@code accept} gives it. */
    private static List<Answer> scrapeAtOnce(MonitorHttpServer server, int requests, Function<Integer, String> accept) {
        ConnectionProvider connections = ConnectionProvider.builder("scrapers").maxConnections(requests).build();
        try {
            HttpClient client = HttpClient.create(connections).responseTimeout(Duration.ofSeconds(20));
            return Flux.range(0, requests)
                    .flatMap(i -> client.headers(h -> h.set(HttpHeaderNames.ACCEPT, accept.apply(i)))
                            .get()
                            .uri("http://127.0.0.1:" + server.port() + "/metrics")
                            .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                                    .map(text -> new Answer(response.status().code(),
                                            response.responseHeaders().get(HttpHeaderNames.RETRY_AFTER)))), requests)
                    .collectList()
                    .block(Duration.ofSeconds(60));
        } finally {
            connections.disposeLater().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void concurrentScrapesShareOneRenderAndNoneFails() {
        MonitorHttpServer server = server(ServerLimits.defaults());

        List<Answer> answers = scrapeAtOnce(server, 200, i -> "text/plain");

        Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(Answer::status, Collectors.counting()));
        assertEquals(Map.of(200, 200L), byStatus);
        assertTrue(renders.get() <= 5, "renders for 200 concurrent scrapes: " + renders.get());
    }

    @Test
    void scrapesBeyondTheRenderCapacityAreAnswered503WithRetryAfter() {
        MonitorHttpServer server = server(ServerLimits.defaults());

        // Every scrape asks for its own format, so none can share: most must wait their turn elsewhere.
        List<Answer> answers = scrapeAtOnce(server, 100, i -> "text/plain;q=0." + i);

        Map<Answer, Long> counts = answers.stream().collect(Collectors.groupingBy(answer -> answer, Collectors.counting()));
        assertTrue(answers.stream().allMatch(answer -> answer.status() == 200
                || (answer.status() == 503 && "1".equals(answer.retryAfter()))), counts.toString());
        assertTrue(counts.containsKey(new Answer(503, "1")), counts.toString());
        assertTrue(renders.get() <= 50, "renders: " + renders.get());
    }

    @Test
    void everyResponseSaysNosniffAndTheStatusPageForbidsScripts() {
        MonitorHttpServer server = server(ServerLimits.defaults());
        HttpClient client = HttpClient.newConnection().responseTimeout(Duration.ofSeconds(10));
        String base = "http://127.0.0.1:" + server.port();

        for (String path : List.of("/", "/metrics", "/-/healthy", "/-/ready", "/api/v1/jobs", "/api/v1/alerts",
                "/nothing-here<script>alert(1)</script>")) {
            var answer = client.get().uri(base + path)
                    .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                            .map(text -> Map.entry(response, text)))
                    .block(Duration.ofSeconds(10));
            var headers = answer.getKey().responseHeaders();
            assertEquals("nosniff", headers.get("X-Content-Type-Options"), path);
            String policy = headers.get(HttpHeaderNames.CONTENT_SECURITY_POLICY);
            assertTrue(policy != null && policy.contains("default-src 'none'"), path + ": " + policy);
            assertFalse(policy.contains("script-src"), policy);
            if (path.equals("/")) {
                assertEquals(200, answer.getKey().status().code());
                assertTrue(answer.getValue().contains("<style>") && answer.getValue().contains("Atlas export monitor"));
                assertTrue(policy.contains("style-src 'unsafe-inline'"), policy);
                assertFalse(answer.getValue().contains("<script"), "the status page needs no scripts");
            }
            if (path.startsWith("/nothing-here")) {
                assertEquals(404, answer.getKey().status().code());
                assertFalse(answer.getValue().contains("nothing-here"), "the 404 echoes the path: " + answer.getValue());
            }
        }
    }

    @Test
    void headAnswersWithTheHeadersOfGetAndNoBody() {
        MonitorHttpServer server = server(ServerLimits.defaults());
        HttpClient client = HttpClient.newConnection().responseTimeout(Duration.ofSeconds(10));
        String base = "http://127.0.0.1:" + server.port();

        for (String path : List.of("/", "/metrics", "/-/healthy", "/-/ready", "/api/v1/jobs", "/api/v1/alerts",
                "/api/v1/alerts?dead=true")) {
            Exchanged get = exchange(client, HttpMethod.GET, base + path);
            Exchanged head = exchange(client, HttpMethod.HEAD, base + path);
            assertEquals(200, get.status(), path);
            assertEquals(200, head.status(), path);
            assertEquals("", head.body(), path);
            assertEquals(get.headers().get(HttpHeaderNames.CONTENT_TYPE), head.headers().get(HttpHeaderNames.CONTENT_TYPE), path);
            assertEquals(get.headers().get(HttpHeaderNames.CONTENT_SECURITY_POLICY),
                    head.headers().get(HttpHeaderNames.CONTENT_SECURITY_POLICY), path);
        }
    }

    @Test
    void curlHeadOfHealthyIs200WithHeadersOnly() throws Exception {
        MonitorHttpServer server = server(ServerLimits.defaults());

        Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "--max-time", "10", "-I",
                "http://127.0.0.1:" + server.port() + "/-/healthy").redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(15, TimeUnit.SECONDS), "curl did not finish");
        assertEquals(0, curl.exitValue(), out);
        assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n"), out);
        assertTrue(out.toLowerCase(java.util.Locale.ROOT).contains("content-type: text/plain; charset=utf-8"), out);
        assertFalse(out.contains("Healthy\n"), "no body: " + out);
    }

    @Test
    void otherMethodsOnKnownPathsAre405WithAllowAndUnknownPathsStay404() {
        MonitorHttpServer server = server(ServerLimits.defaults());
        HttpClient client = HttpClient.newConnection().responseTimeout(Duration.ofSeconds(10));
        String base = "http://127.0.0.1:" + server.port();

        for (var call : List.of(Map.entry(HttpMethod.POST, "/metrics"), Map.entry(HttpMethod.PUT, "/-/healthy"),
                Map.entry(HttpMethod.DELETE, "/api/v1/jobs"), Map.entry(HttpMethod.POST, "/"),
                Map.entry(HttpMethod.POST, "/api/v1/alerts?dead=true"))) {
            Exchanged answer = exchange(client, call.getKey(), base + call.getValue());
            assertEquals(405, answer.status(), call.toString());
            assertEquals("GET, HEAD", answer.headers().get(HttpHeaderNames.ALLOW), call.toString());
        }
        for (var call : List.of(Map.entry(HttpMethod.GET, "/api/v1/alerts/dead/resend"),
                Map.entry(HttpMethod.DELETE, "/api/v1/alerts/dead/abc123/resend"))) {
            Exchanged answer = exchange(client, call.getKey(), base + call.getValue());
            assertEquals(405, answer.status(), call.toString());
            assertEquals("POST", answer.headers().get(HttpHeaderNames.ALLOW), call.toString());
        }
        assertEquals(200, exchange(client, HttpMethod.POST, base + "/api/v1/alerts/dead/resend").status());
        assertEquals(404, exchange(client, HttpMethod.POST, base + "/api/v1/alerts/dead/abc123/resend").status(),
                "no such dead letter");
        Exchanged unknown = exchange(client, HttpMethod.POST, base + "/api/v1/nothing");
        assertEquals(404, unknown.status());
        assertEquals(null, unknown.headers().get(HttpHeaderNames.ALLOW));
        assertEquals(404, exchange(client, HttpMethod.HEAD, base + "/metrics/more").status());
    }

    private record Exchanged(int status, io.netty.handler.codec.http.HttpHeaders headers, String body) {
    }

    private static Exchanged exchange(HttpClient client, HttpMethod method, String url) {
        return client.request(method).uri(url)
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> new Exchanged(response.status().code(), response.responseHeaders(), text)))
                .block(Duration.ofSeconds(10));
    }
}
