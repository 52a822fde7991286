package io.github.atlasexport.atlas;

import io.github.atlasexport.atlas.ScriptedAtlasServer.Recorded;
import io.github.atlasexport.atlas.ScriptedAtlasServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.github.atlasexport.atlas.ExpectedAtlasError.atlasError;
import static io.github.atlasexport.atlas.ScriptedAtlasServer.jobJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtlasClientIntegrationTests {
    private static final String GROUP = "5f0a1b2c3d4e5f60718293a4";
    private static final String CLUSTER = "Cluster0";
    private static final String JOB_ID = "65f0c0ffee0000000000beef";
    private static final Credentials.Digest API_KEY = new Credentials.Digest("public-key", "private-key");
    private static final Credentials.ServiceAccount ACCOUNT = new Credentials.ServiceAccount("mdb_sa_id_1", "mdb_sa_sk_secret");
    /**
     * For tests where some answers never come (or stall in their body): short, so they end soon, but not 300 ms,
     * which an answer that does come can take on a busy machine and then count as one more timeout.
     */
    private static final Duration STALLED_BODY_TIMEOUT = Duration.ofSeconds(1);
    private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), 0.5, Duration.ofSeconds(5));

    private final List<ExchangeListener.Exchange> seen = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private ScriptedAtlasServer server(Credentials credentials) {
        ScriptedAtlasServer server = new ScriptedAtlasServer(credentials);
        toClose.add(server);
        return server;
    }

    private AtlasClientOptions options(ScriptedAtlasServer server, Credentials credentials) {
        return AtlasClientOptions.create(server.baseUrl(), credentials)
                // Generous: the first exchange in a cold JVM on a busy machine can take seconds, and a
                // timeout would show up as an extra, retried exchange.
                .withRequestTimeout(Duration.ofSeconds(10))
                .withRequestsPerMinute(10_000)
                .withRetryPolicy(QUICK)
                .withListener(seen::add);
    }

    private AtlasClient client(AtlasClientOptions options) {
        AtlasClient client = AtlasClients.create(options);
        toClose.add(client);
        return client;
    }

    /** One GET of the job, which must answer it. */
    private static void getsTheJob(AtlasClient client) {
        client.getExportJob(GROUP, CLUSTER, JOB_ID).as(StepVerifier::create).expectNextCount(1).verifyComplete();
    }

    private static String page(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> jobJson(String.format("%024x", i), "Successful"))
                .collect(Collectors.joining(",", "{\"results\":[", "],\"links\":[]}"));
    }

    private static List<Integer> statuses(List<ExchangeListener.Exchange> exchanges) {
        return exchanges.stream().map(ExchangeListener.Exchange::status).toList();
    }

    @Test
    void digestSteadyStateCostsOneExchangePerCall() {
        ScriptedAtlasServer server = server(API_KEY).handler(request -> Reply.json(200, jobJson(JOB_ID, "InProgress")));
        AtlasClient client = client(options(server, API_KEY));
        int calls = 100;

        Flux.range(0, calls).concatMap(i -> client.getExportJob(GROUP, CLUSTER, JOB_ID))
                .as(StepVerifier::create).expectNextCount(calls).verifyComplete();

        double perCall = server.exchanges.size() / (double) calls;
        System.out.printf("digest steady state: %d exchanges at the server for %d calls = %.2f exchanges/call%n",
                server.exchanges.size(), calls, perCall);
        assertTrue(perCall <= 1.05, "exchanges per call " + perCall);
        assertEquals(calls, server.authorized().size());
        assertEquals(server.exchanges.size(), seen.size(), "the listener sees every exchange the server sees");
        assertEquals(401, seen.get(0).status());
        assertEquals(new ExchangeListener.Exchange("GET", ReactorAtlasClient.EXPORT, 200, GROUP), seen.get(1));
    }

    @Test
    void aStaleNonceCostsOneChallengeAndTheCallStillSucceeds() {
        ScriptedAtlasServer server = server(API_KEY).handler(request -> Reply.json(200, jobJson(JOB_ID, "Queued")));
        AtlasClient client = client(options(server, API_KEY));

        getsTheJob(client);
        server.retireNonces();
        getsTheJob(client);
        getsTheJob(client);

        assertEquals(List.of(401, 200, 401, 200, 200), statuses(seen));
        Recorded staleAnswered = server.exchanges.get(2);
        assertEquals("nonce-1", DigestVerifier.params(staleAnswered.header("Authorization")).get("nonce"));
        assertEquals("nonce-2", DigestVerifier.params(server.exchanges.get(4).header("Authorization")).get("nonce"));
        assertEquals("00000002", DigestVerifier.params(server.exchanges.get(4).header("Authorization")).get("nc"));
    }

    @Test
    void aWrongApiKeyFailsWith401AfterOneAnsweredChallenge() {
        ScriptedAtlasServer server = server(API_KEY);
        AtlasClient client = client(options(server, new Credentials.Digest("public-key", "wrong-private-key")));

        client.listExportJobs(GROUP, CLUSTER).as(StepVerifier::create)
                .expectErrorSatisfies(atlasError(401, "UNAUTHORIZED", ReactorAtlasClient.EXPORTS, "wrong-private-key", "Digest"))
                .verify(Duration.ofSeconds(5));
        assertEquals(2, server.exchanges.size());
    }

    @Test
    void rateLimitingHonoursRetryAfter() {
        ScriptedAtlasServer server = server(API_KEY).script(
                Reply.json(429, "{\"error\":429,\"errorCode\":\"RATE_LIMITED\",\"detail\":\"slow down\",\"parameters\":[]}")
                        .withHeader("Retry-After", "1"),
                Reply.json(200, jobJson(JOB_ID, "InProgress")));
        AtlasClient client = client(options(server, API_KEY));

        long start = System.nanoTime();
        getsTheJob(client);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(took.compareTo(Duration.ofSeconds(1)) >= 0, "waited only " + took);
        assertEquals(List.of(401, 429, 200), statuses(seen));
    }

    @Test
    void rateLimitingHonoursRetryAfterSecsInTheBody() {
        ScriptedAtlasServer server = server(API_KEY).script(
                Reply.json(429, "{\"error\":429,\"errorCode\":\"RATE_LIMITED_TOKEN_BUCKET\",\"parameters\":[{\"retryAfterSecs\":1}]}"),
                Reply.json(200, jobJson(JOB_ID, "InProgress")));
        AtlasClient client = client(options(server, API_KEY));

        long start = System.nanoTime();
        getsTheJob(client);

        assertTrue(System.nanoTime() - start >= Duration.ofSeconds(1).toNanos());
    }

    @Test
    void rateLimitingHonoursTheDocumentedPositionalBodyWithoutHeaders() {
        List<Long> answeredAt = new CopyOnWriteArrayList<>();
        ScriptedAtlasServer server = server(API_KEY).handler(request -> {
            answeredAt.add(System.nanoTime());
            return answeredAt.size() == 1
                    ? Reply.json(429, "{\"error\":429,\"errorCode\":\"RATE_LIMITED_TOKEN_BUCKET\",\"detail\":\"rate limited\","
                            + "\"parameters\":[\"api/atlas/v2/groups\",1,10,5,60]}")
                    : Reply.json(200, jobJson(JOB_ID, "InProgress"));
        });
        AtlasClient client = client(options(server, API_KEY));

        getsTheJob(client);

        // QUICK backs off 10..50 ms when the server names no wait: only the body's 1 s explains a second.
        assertEquals(2, answeredAt.size());
        assertTrue(answeredAt.get(1) - answeredAt.get(0) >= Duration.ofSeconds(1).toNanos());
        assertEquals(List.of(401, 429, 200), statuses(seen));
    }

    @Test
    void aJobThatCannotBeReadIsSkippedAndCountedAndTheRestOfThePageStands() {
        String good = jobJson(JOB_ID, "InProgress");
        String other = jobJson("65f0c0ffee0000000000bee2", "Queued");
        String page = "{\"results\":[" + good
                + ",{\"state\":\"Queued\"}"
                + "," + jobJson("65f0c0ffee0000000000bad1", "Queued").replace("\"2024-05-01T10:00:00Z\"", "{\"$date\":1}")
                + "," + jobJson("65f0c0ffee0000000000bad2", "Queued").replace("\"exportedCollections\":1", "\"exportedCollections\":\"one\"")
                + "," + other + "],\"totalCount\":5}";
        ScriptedAtlasServer server = server(API_KEY).handler(request -> Reply.json(200, page));
        List<String> unparsable = new CopyOnWriteArrayList<>();
        ExchangeListener listener = new ExchangeListener() {
            @Override
            public void onExchange(Exchange exchange) {
                seen.add(exchange);
            }

            @Override
            public void onUnparsableJob(String groupId, String clusterName) {
                unparsable.add(groupId + "/" + clusterName);
            }
        };
        AtlasClient client = client(options(server, API_KEY).withListener(listener));

        client.listExportJobs(GROUP, CLUSTER).map(ExportJob::id).collectList().as(StepVerifier::create)
                .expectNext(List.of(JOB_ID, "65f0c0ffee0000000000bee2"))
                .verifyComplete();

        assertEquals(List.of(GROUP + "/" + CLUSTER, GROUP + "/" + CLUSTER, GROUP + "/" + CLUSTER), unparsable);
        // Five counted, two read and three skipped: the walk agrees with itself and is not read twice.
        assertEquals(List.of(401, 200), statuses(seen));
    }

    /** Atlas's budget as a token bucket: {@code limit} a minute, refilled continuously, {@code remaining} left now. */
    private static final class AtlasBudget {
        private final int limit;
        private double tokens;
        private long at = System.nanoTime();

        AtlasBudget(int limit, int remaining) {
            this.limit = limit;
            this.tokens = remaining;
        }

        synchronized Reply answer(Reply granted) {
            long now = System.nanoTime();
            tokens = Math.min(limit, tokens + (now - at) * limit / 60e9);
            at = now;
            boolean allowed = tokens >= 1;
            if (allowed) {
                tokens -= 1;
            }
            Reply reply = allowed ? granted : Reply.json(429, "{\"error\":429,\"errorCode\":\"RATE_LIMITED_TOKEN_BUCKET\","
                    + "\"detail\":\"rate limited\",\"parameters\":[\"api/atlas/v2/groups\",1," + limit + "," + limit + ",60]}");
            return reply.withHeader("RateLimit-Limit", Integer.toString(limit))
                    .withHeader("RateLimit-Remaining", Integer.toString((int) tokens));
        }
    }

    @Test
    void aLowRateLimitRemainingPacesTheProjectSoThatAtlasNeverRefusesInSteadyState() {
        // 300 a minute: well below what the client sends unpaced even on a busy machine, so the test can fail.
        AtlasBudget budget = new AtlasBudget(300, 5);
        ScriptedAtlasServer server = server(API_KEY).handler(request -> budget.answer(Reply.json(200, page(0, 1))));
        List<Integer> remaining = new CopyOnWriteArrayList<>();
        ExchangeListener listener = new ExchangeListener() {
            @Override
            public void onExchange(Exchange exchange) {
                seen.add(exchange);
            }

            @Override
            public void onRateLimitRemaining(String groupId, int left) {
                remaining.add(left);
            }
        };
        AtlasClient client = client(options(server, API_KEY).withListener(listener));
        Flux<Integer> clusters = Flux.range(0, 50);

        for (int round = 0; round < 2; round++) {
            int before = seen.size();
            clusters.flatMap(i -> client.listExportJobs(GROUP, "Cluster" + i), 50).as(StepVerifier::create)
                    .expectNextCount(50).expectComplete().verify(Duration.ofSeconds(60));
            List<Integer> statuses = statuses(seen.subList(before, seen.size()));
            if (round > 0) {
                assertFalse(statuses.contains(429), "round " + round + ": " + statuses);
            }
        }
        assertFalse(remaining.isEmpty(), "RateLimit-Remaining is reported");
    }

    @Test
    void aRetryAfterWhoseBodyStallsIsStillHonoured() {
        ScriptedAtlasServer server = server(API_KEY).script(
                Reply.json(429, "{\"error\":429,\"errorCode\":\"RATE_LIMITED\",\"parameters\":[]}")
                        .withHeader("Retry-After", "1").withBodyStalling(),
                Reply.json(200, jobJson(JOB_ID, "InProgress")));
        AtlasClient client = client(options(server, API_KEY).withRequestTimeout(STALLED_BODY_TIMEOUT));

        long start = System.nanoTime();
        getsTheJob(client);

        // The body timed out, but the status and Retry-After had come: the wait is the server's second.
        assertTrue(System.nanoTime() - start >= Duration.ofSeconds(1).toNanos());
        assertEquals(List.of(401, 429, 200), statuses(seen));
    }

    @Test
    void aChallengeWhoseBodyStallsStillBringsItsNonce() {
        ScriptedAtlasServer server = server(API_KEY).handler(request -> Reply.json(200, jobJson(JOB_ID, "Queued")));
        server.stallChallengeBodies();
        AtlasClient client = client(options(server, API_KEY).withRequestTimeout(STALLED_BODY_TIMEOUT));

        getsTheJob(client);
        getsTheJob(client);

        assertEquals(List.of(401, 200, 200), statuses(seen));
    }

    @Test
    void serviceUnavailableIsRetried() {
        ScriptedAtlasServer server = server(API_KEY).script(
                Reply.json(503, "{\"error\":503,\"errorCode\":\"SERVICE_UNAVAILABLE\"}"),
                Reply.json(200, page(0, 2)));
        AtlasClient client = client(options(server, API_KEY));

        client.listExportJobs(GROUP, CLUSTER).as(StepVerifier::create).expectNextCount(2).verifyComplete();
        assertEquals(List.of(401, 503, 200), statuses(seen));
    }

    @Test
    void resetsAndTimeoutsAreRetriedThenSurfaceAsStatusZero() {
        ScriptedAtlasServer server = server(API_KEY).script(Reply.resetConnection(), Reply.noAnswer(), Reply.json(200, jobJson(JOB_ID, "Queued")));
        AtlasClient client = client(options(server, API_KEY).withRequestTimeout(STALLED_BODY_TIMEOUT));

        getsTheJob(client);
        assertEquals(List.of(401, 0, 0, 200), statuses(seen));

        server.script(Reply.noAnswer(), Reply.noAnswer(), Reply.noAnswer(), Reply.noAnswer());
        client.getExportJob(GROUP, CLUSTER, JOB_ID).as(StepVerifier::create)
                .expectErrorSatisfies(atlasError(0, AtlasErrors.TIMEOUT, ReactorAtlasClient.EXPORT))
                .verify(Duration.ofSeconds(30));
        assertEquals(4 + QUICK.maxRetries() + 1, seen.size());
    }

    @Test
    void aMalformedBodyIsAnErrorAndNotRetried() {
        ScriptedAtlasServer server = server(API_KEY).script(Reply.json(200, "{\"results\": [ {\"id\": "), Reply.json(200, "[]"));
        AtlasClient client = client(options(server, API_KEY));

        client.listExportJobs(GROUP, CLUSTER).as(StepVerifier::create)
                .expectErrorSatisfies(atlasError(200, AtlasErrors.MALFORMED_RESPONSE, ReactorAtlasClient.EXPORTS))
                .verify(Duration.ofSeconds(5));
        client.getExportJob(GROUP, CLUSTER, JOB_ID).as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertEquals("MALFORMED_RESPONSE", ((AtlasApiException) e).errorCode()))
                .verify(Duration.ofSeconds(5));
        assertEquals(2, server.authorized().size());
    }

    @Test
    void listingPagesInTurnUntilAShortPage() {
        ScriptedAtlasServer server = server(API_KEY).script(
                Reply.json(200, page(0, 500)), Reply.json(200, page(500, 500)), Reply.json(200, page(1000, 7)));
        AtlasClient client = client(options(server, API_KEY));

        List<ExportJob> jobs = client.listExportJobs(GROUP, CLUSTER).collectList().block(Duration.ofSeconds(10));

        assertEquals(1007, jobs.size());
        assertEquals(String.format("%024x", 1006), jobs.get(1006).id());
        assertEquals(List.of(
                        "/api/atlas/v2/groups/" + GROUP + "/clusters/" + CLUSTER + "/backup/exports?pageNum=1&itemsPerPage=500&includeCount=true",
                        "/api/atlas/v2/groups/" + GROUP + "/clusters/" + CLUSTER + "/backup/exports?pageNum=2&itemsPerPage=500&includeCount=true",
                        "/api/atlas/v2/groups/" + GROUP + "/clusters/" + CLUSTER + "/backup/exports?pageNum=3&itemsPerPage=500&includeCount=true"),
                server.authorized().stream().map(Recorded::uri).toList());
        assertEquals(1, server.maxInFlight.get(), "pages are fetched one after the other");
        ExportJob first = jobs.get(0);
        assertEquals(new ExportJob.ExportStatus(1, 3), first.exportStatus());
        assertEquals(java.time.Instant.parse("2024-05-01T10:00:00Z"), first.createdAt());
    }

    @Test
    void anEmptyPageEndsTheListAndUnknownStatesSurvive() {
        ScriptedAtlasServer server = server(API_KEY).script(Reply.json(200, page(0, 500)),
                Reply.json(200, "{\"results\":[],\"totalCount\":500}"));
        AtlasClient client = client(options(server, API_KEY));
        client.listExportJobs(GROUP, CLUSTER).count().as(StepVerifier::create).expectNext(500L).verifyComplete();

        server.script(Reply.json(200, "{\"results\":[" + jobJson(JOB_ID, "Paused") + "]}"));
        client.listExportJobs(GROUP, CLUSTER).as(StepVerifier::create)
                .expectNextMatches(job -> job.state().equals("Paused") && !ExportState.isTerminal(job.state()))
                .verifyComplete();
    }

    @Test
    void serviceAccountConcurrentCallersShareOneTokenFetch() {
        ScriptedAtlasServer server = server(ACCOUNT).handler(request -> Reply.json(200, jobJson(JOB_ID, "InProgress")));
        AtlasClient client = client(options(server, ACCOUNT).withMaxConcurrency(20));

        Flux.range(0, 20).flatMap(i -> client.getExportJob(GROUP, CLUSTER, JOB_ID), 20)
                .as(StepVerifier::create).expectNextCount(20).verifyComplete();

        assertEquals(1, server.tokenFetches.get());
        Recorded tokenRequest = server.exchanges.get(0);
        assertEquals("POST", tokenRequest.method());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("mdb_sa_id_1:mdb_sa_sk_secret".getBytes()),
                tokenRequest.header("Authorization"));
        assertEquals("application/x-www-form-urlencoded", tokenRequest.header("Content-Type"));
        assertEquals("grant_type=client_credentials", tokenRequest.body());
        assertTrue(server.authorized().stream().skip(1).allMatch(r -> "Bearer tok-1".equals(r.header("Authorization"))));
        assertEquals(new ExchangeListener.Exchange("POST", "/api/oauth/token", 200, null), seen.get(0));
    }

    @Test
    void aRevokedTokenIsReplacedOnce() {
        ScriptedAtlasServer server = server(ACCOUNT).handler(request -> Reply.json(200, jobJson(JOB_ID, "InProgress")));
        AtlasClient client = client(options(server, ACCOUNT));

        getsTheJob(client);
        server.revokeTokens();
        getsTheJob(client);

        assertEquals(2, server.tokenFetches.get());
        assertEquals(List.of(200, 200, 401, 200, 200), statuses(seen));
    }

    @Test
    void aBadClientSecretFailsWithoutShowingIt() {
        ScriptedAtlasServer server = server(ACCOUNT);
        AtlasClient client = client(options(server, new Credentials.ServiceAccount("mdb_sa_id_1", "not-the-secret")));

        client.listProjects().as(StepVerifier::create)
                .expectErrorSatisfies(atlasError(401, "invalid_client", "/api/oauth/token", "not-the-secret", "Basic"))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void mediaTypesFollowTheApiVersion() {
        ScriptedAtlasServer server = server(API_KEY).handler(request -> Reply.json(200, jobJson(JOB_ID, "Queued")));
        AtlasClient v2 = client(options(server, API_KEY));
        AtlasClient v1 = client(options(server, API_KEY).withApiVersion(ApiVersion.V1_0));
        CreateExportJobRequest create = new CreateExportJobRequest("66aa00000000000000000001", "66bb00000000000000000002",
                List.of(new ExportJob.CustomData("exported by", "test")));

        v2.createExportJob(GROUP, CLUSTER, create).as(StepVerifier::create).expectNextCount(1).verifyComplete();
        v1.createExportJob(GROUP, CLUSTER, create).as(StepVerifier::create).expectNextCount(1).verifyComplete();
        v1.getExportJob(GROUP, CLUSTER, JOB_ID).as(StepVerifier::create).expectNextCount(1).verifyComplete();

        List<Recorded> calls = server.authorized();
        assertEquals("/api/atlas/v2/groups/" + GROUP + "/clusters/" + CLUSTER + "/backup/exports", calls.get(0).uri());
        assertEquals("application/vnd.atlas.2023-01-01+json", calls.get(0).header("Accept"));
        assertEquals("application/vnd.atlas.2023-01-01+json", calls.get(0).header("Content-Type"));
        assertEquals("{\"snapshotId\":\"66aa00000000000000000001\",\"exportBucketId\":\"66bb00000000000000000002\","
                + "\"customData\":[{\"key\":\"exported by\",\"value\":\"test\"}]}", calls.get(0).body());
        assertEquals("/api/atlas/v1.0/groups/" + GROUP + "/clusters/" + CLUSTER + "/backup/exports", calls.get(1).uri());
        assertEquals("application/json", calls.get(1).header("Accept"));
        assertEquals("application/json", calls.get(1).header("Content-Type"));
        assertEquals("/api/atlas/v1.0/groups/" + GROUP + "/clusters/" + CLUSTER + "/backup/exports/" + JOB_ID, calls.get(2).uri());
        assertEquals("application/json", calls.get(2).header("Accept"));
        assertEquals(null, calls.get(2).header("Content-Type"));
    }

    @Test
    void aCreateIsNotRetriedAfterAServerError() {
        ScriptedAtlasServer server = server(API_KEY).script(Reply.json(500, "{\"error\":500,\"errorCode\":\"UNEXPECTED_ERROR\"}"));
        AtlasClient client = client(options(server, API_KEY));

        client.createExportJob(GROUP, CLUSTER, new CreateExportJobRequest("s", "b", null)).as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertEquals(500, ((AtlasApiException) e).status()))
                .verify(Duration.ofSeconds(5));
        assertEquals(1, server.authorized().size());
    }

    @Test
    void anErrorBodyBecomesTheExceptionAndIsNotRetried() {
        ScriptedAtlasServer server = server(API_KEY).script(Reply.json(404,
                "{\"detail\":\"No cluster named Cluster0 exists in group " + GROUP + ".\",\"error\":404,"
                        + "\"errorCode\":\"CLUSTER_NOT_FOUND\",\"parameters\":[\"Cluster0\"],\"reason\":\"Not Found\"}"));
        AtlasClient client = client(options(server, API_KEY));

        client.listExportJobs(GROUP, CLUSTER).as(StepVerifier::create)
                .expectErrorSatisfies(e -> {
                    AtlasApiException error = (AtlasApiException) e;
                    assertEquals(404, error.status());
                    assertEquals("CLUSTER_NOT_FOUND", error.errorCode());
                    assertEquals("No cluster named Cluster0 exists in group " + GROUP + ".", error.detail());
                    assertEquals("GET", error.method());
                    assertEquals(ReactorAtlasClient.EXPORTS, error.endpoint());
                    assertFalse(error.getMessage().contains("private-key"));
                    assertFalse(error.getMessage().contains("response="));
                })
                .verify(Duration.ofSeconds(5));
        assertEquals(1, server.authorized().size());
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsSent() {
        ScriptedAtlasServer server = server(API_KEY);
        AtlasClient client = client(options(server, API_KEY));

        IllegalArgumentException badGroup = assertThrows(IllegalArgumentException.class,
                () -> client.listExportJobs("5F0A1B2C3D4E5F60718293A4", CLUSTER));
        assertTrue(badGroup.getMessage().contains("5F0A1B2C3D4E5F60718293A4"));
        IllegalArgumentException badCluster = assertThrows(IllegalArgumentException.class,
                () -> client.getExportJob(GROUP, "-cluster/../x", JOB_ID));
        assertTrue(badCluster.getMessage().contains("-cluster/../x"));
        assertThrows(IllegalArgumentException.class, () -> client.getExportJob(GROUP, CLUSTER, "../groups"));
        assertThrows(IllegalArgumentException.class, () -> client.listClusters("abc"));
        assertEquals(0, server.exchanges.size());
    }

    @Test
    void discoveryListsProjectsAndClusters() {
        ScriptedAtlasServer server = server(API_KEY).script(
                Reply.json(200, "{\"results\":[{\"id\":\"" + GROUP + "\",\"name\":\"Project 0\",\"orgId\":\"x\"}],\"totalCount\":1}"),
                Reply.json(200, "{\"results\":[{\"groupId\":\"" + GROUP + "\",\"name\":\"Cluster0\",\"clusterType\":\"REPLICASET\"},"
                        + "{\"groupId\":\"" + GROUP + "\",\"name\":\"Sharded1\",\"clusterType\":\"SHARDED\"}]}"));
        AtlasClient client = client(options(server, API_KEY));

        client.listProjects().as(StepVerifier::create).expectNext(new Project(GROUP, "Project 0")).verifyComplete();
        client.listClusters(GROUP).map(Cluster::name).as(StepVerifier::create).expectNext("Cluster0", "Sharded1").verifyComplete();

        assertEquals("/api/atlas/v2/groups?pageNum=1&itemsPerPage=500&includeCount=true", server.authorized().get(0).uri());
        assertEquals("/api/atlas/v2/groups/" + GROUP + "/clusters?pageNum=1&itemsPerPage=500&includeCount=true",
                server.authorized().get(1).uri());
        assertEquals(new ExchangeListener.Exchange("GET", "/groups", 200, null), seen.get(1));
        assertEquals(new ExchangeListener.Exchange("GET", "/groups/{groupId}/clusters", 200, GROUP), seen.get(2));
    }

    @Test
    void theInFlightLimitHoldsAcrossProjects() {
        ScriptedAtlasServer server = server(API_KEY).handler(request -> Reply.json(200, jobJson(JOB_ID, "InProgress")).delayed(Duration.ofMillis(100)));
        AtlasClient client = client(options(server, API_KEY).withMaxConcurrency(2));
        client.getExportJob(GROUP, CLUSTER, JOB_ID).block(Duration.ofSeconds(5)); // learn the nonce first

        Flux.range(0, 8)
                .flatMap(i -> client.getExportJob(String.format("%024x", i), CLUSTER, JOB_ID), 8)
                .as(StepVerifier::create).expectNextCount(8).verifyComplete();

        assertEquals(2, server.maxInFlight.get());
    }
}
