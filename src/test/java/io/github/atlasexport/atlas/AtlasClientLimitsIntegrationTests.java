package io.github.atlasexport.atlas;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.atlasexport.atlas.ScriptedAtlasServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.github.atlasexport.atlas.ExpectedAtlasError.atlasError;
import static io.github.atlasexport.atlas.ScriptedAtlasServer.jobJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the client does when Atlas, or something posing as it, asks for too much: waits, sizes, pages, headers. */
class AtlasClientLimitsIntegrationTests {
    private static final String GROUP = "5f0a1b2c3d4e5f60718293a4";
    private static final String OTHER_GROUP = "5f0a1b2c3d4e5f60718293a5";
    private static final String CLUSTER = "Cluster0";
    private static final String JOB_ID = "65f0c0ffee0000000000beef";
    private static final Credentials.Digest API_KEY = new Credentials.Digest("public-key", "private-key");
    private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), 0.5, Duration.ofSeconds(5));
    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(30);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private AtlasClientOptions options(URI baseUrl) {
        return AtlasClientOptions.create(baseUrl, API_KEY)
                .withRequestTimeout(Duration.ofSeconds(10))
                .withRequestsPerMinute(10_000)
                .withRetryPolicy(QUICK);
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private static String page(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> jobJson(String.format("%024x", i), "Successful"))
                .collect(Collectors.joining(",", "{\"results\":[", "],\"links\":[]}"));
    }

    private static int pageNum(String uri) {
        return Integer.parseInt(uri.replaceAll(".*[?&]pageNum=(\\d+).*", "$1"));
    }

    @Test
    void aRetryAfterBeyondWhatIsWaitedForHoldsBackTheProjectForUpToAnHour() {
        ScriptedAtlasServer server = closing(new ScriptedAtlasServer(API_KEY))
                .script(Reply.json(429, "{\"error\":429,\"errorCode\":\"RATE_LIMITED\"}").withHeader("Retry-After", "86400"))
                .handler(request -> Reply.json(200, jobJson(JOB_ID, "Queued")));
        AtlasClient client = closing(AtlasClients.create(options(server.baseUrl())));

        client.getExportJob(GROUP, CLUSTER, JOB_ID).as(StepVerifier::create)
                .expectErrorSatisfies(atlasError(429, "RATE_LIMITED", ReactorAtlasClient.EXPORT))
                .verify(VERIFY_TIMEOUT);
        // The next polls of the project fail at once, naming the wait, and send nothing.
        for (int poll = 0; poll < 3; poll++) {
            client.getExportJob(GROUP, CLUSTER, JOB_ID).as(StepVerifier::create)
                    .expectErrorSatisfies(atlasError(429, AtlasErrors.WAITING_FOR_RETRY_AFTER, ReactorAtlasClient.EXPORT)
                            .andThen(e -> {
                                AtlasApiException held = (AtlasApiException) e;
                                assertTrue(held.retryAfter().compareTo(Duration.ofMinutes(59)) > 0
                                        && held.retryAfter().compareTo(Duration.ofHours(1)) <= 0, held.retryAfter().toString());
                                assertTrue(held.getMessage().contains("next request after"), held.getMessage());
                            }))
                    .verify(VERIFY_TIMEOUT);
        }
        assertEquals(1, server.authorized().size());

        // Another project has its own budget.
        client.getExportJob(OTHER_GROUP, CLUSTER, JOB_ID).as(StepVerifier::create).expectNextCount(1).verifyComplete();
    }

    @Test
    void aServerThatIgnoresPageNumIsNotFollowed() {
        ScriptedAtlasServer server = closing(new ScriptedAtlasServer(API_KEY))
                .handler(request -> Reply.json(200, page(0, ReactorAtlasClient.PAGE_SIZE)));
        AtlasClient client = closing(AtlasClients.create(options(server.baseUrl())));

        // The list is taken whole or not at all: no job of a list that could not be read is reported.
        client.listExportJobs(GROUP, CLUSTER).as(StepVerifier::create)
                .expectErrorSatisfies(atlasError(200, AtlasErrors.PAGING_STOPPED, ReactorAtlasClient.EXPORTS)
                        .andThen(e -> assertTrue(e.getMessage().contains("page 2 repeats page 1"), e.getMessage())))
                .verify(VERIFY_TIMEOUT);
        assertEquals(2, server.authorized().size());
    }

    @Test
    void pagingStopsAtThePageLimitNamingIt() {
        ScriptedAtlasServer server = closing(new ScriptedAtlasServer(API_KEY)).handler(request ->
                Reply.json(200, page(pageNum(request.uri()) * ReactorAtlasClient.PAGE_SIZE, ReactorAtlasClient.PAGE_SIZE)));
        AtlasClient client = closing(new ReactorAtlasClient(options(server.baseUrl()), 3));

        client.listExportJobs(GROUP, CLUSTER).as(StepVerifier::create)
                .expectErrorSatisfies(atlasError(200, AtlasErrors.PAGING_STOPPED, ReactorAtlasClient.EXPORTS)
                        .andThen(e -> assertTrue(e.getMessage().contains("more than 3 pages of 500 (the limit)"), e.getMessage())))
                .verify(VERIFY_TIMEOUT);
        assertEquals(3, server.authorized().size());
    }

    @Test
    void aPageWithoutContentLengthOrGzippedIsReadWhole() {
        String body = page(0, 120);
        // Chunked in pieces of 1,000 bytes, and gzip-compressed (a proxy's doing): no or a smaller Content-Length.
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0).compress(1)
                .handle((request, response) -> response.header("Content-Type", "application/json")
                        .sendString(request.uri().contains("/clusters/chunked/")
                                ? Flux.range(0, (body.length() + 999) / 1000)
                                        .map(i -> body.substring(i * 1000, Math.min(body.length(), (i + 1) * 1000)))
                                : Flux.just(body)))
                .bindNow();
        closing(server::disposeNow);
        AtlasClient client = closing(AtlasClients.create(options(URI.create("http://127.0.0.1:" + server.port()))));

        for (String cluster : List.of("chunked", "gzipped")) {
            client.listExportJobs(GROUP, cluster).as(StepVerifier::create)
                    .expectNextCount(120)
                    .verifyComplete();
        }
    }

    @Test
    void anOversizedBodyFailsTheCallNamingTheLimitAndIsNotRetried() {
        AtomicInteger requests = new AtomicInteger();
        String megabyte = "x".repeat(1 << 20);
        // Chunked, with no Content-Length: the size is only known by counting.
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> {
                    requests.incrementAndGet();
                    return response.header("Content-Type", "application/json")
                            .sendString(Flux.just("{\"results\":[],\"padding\":\"").concatWith(Flux.range(0, 40).map(i -> megabyte)));
                })
                .bindNow();
        closing(server::disposeNow);
        AtlasClient client = closing(AtlasClients.create(options(URI.create("http://127.0.0.1:" + server.port()))));

        client.listExportJobs(GROUP, CLUSTER).as(StepVerifier::create)
                .expectErrorSatisfies(atlasError(200, AtlasErrors.RESPONSE_TOO_LARGE, ReactorAtlasClient.EXPORTS)
                        .andThen(e -> assertTrue(e.getMessage().contains("over 32 MiB (the limit)"), e.getMessage())))
                .verify(VERIFY_TIMEOUT);
        assertEquals(1, requests.get());
    }

    @Test
    void aChallengeNettyWouldRefuseFailsWithOne401AndNoStackTrace() throws IOException {
        RawHttpServer server = closing(new RawHttpServer("HTTP/1.1 401 Unauthorized\r\n"
                + "WWW-Authenticate: Digest realm=\"MMS\u0001Public API\", nonce=\"n1\", algorithm=MD5, qop=\"auth\"\r\n"
                + "Content-Length: 0\r\n\r\n"));
        AtlasClient client = closing(AtlasClients.create(options(server.baseUrl())));
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logged.start();
        root.addAppender(logged);
        try {
            client.getExportJob(GROUP, CLUSTER, JOB_ID).as(StepVerifier::create)
                    .expectErrorSatisfies(atlasError(401, null, ReactorAtlasClient.EXPORT))
                    .verify(VERIFY_TIMEOUT);
        } finally {
            root.detachAppender(logged);
        }

        assertEquals(1, server.requests.get(), "a 401 is not retried");
        List<ILoggingEvent> stackTraces = logged.list.stream()
                .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN) && event.getThrowableProxy() != null).toList();
        assertEquals(List.of(), stackTraces.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    /** Answers every request with the same raw bytes, which may break HTTP rules a Netty server enforces. */
    private static final class RawHttpServer implements AutoCloseable {
        final AtomicInteger requests = new AtomicInteger();
        private final ServerSocket socket = new ServerSocket(0);

        RawHttpServer(String response) throws IOException {
            Thread accepting = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket connection = socket.accept()) {
                        InputStream in = connection.getInputStream();
                        in.read(new byte[16_384]); // one small request
                        requests.incrementAndGet();
                        OutputStream out = connection.getOutputStream();
                        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    } catch (IOException closed) {
                        // the test is over, or the client went away
                    }
                }
            }, "raw-http-server");
            accepting.setDaemon(true);
            accepting.start();
        }

        URI baseUrl() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
