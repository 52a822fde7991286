package io.github.atlasexport.atlas;

import io.github.atlasexport.simulator.Fault;
import io.github.atlasexport.simulator.RequestCounts;
import io.github.atlasexport.simulator.Scenario;
import io.github.atlasexport.simulator.SimClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.github.atlasexport.atlas.ExpectedAtlasError.atlasError;
import static io.github.atlasexport.atlas.SimulatedAtlas.ACCOUNT;
import static io.github.atlasexport.atlas.SimulatedAtlas.API_KEY;
import static io.github.atlasexport.atlas.SimulatedAtlas.BIG_CLUSTER_JOBS;
import static io.github.atlasexport.atlas.SimulatedAtlas.BUCKET;
import static io.github.atlasexport.atlas.SimulatedAtlas.BULK;
import static io.github.atlasexport.atlas.SimulatedAtlas.FAILURE;
import static io.github.atlasexport.atlas.SimulatedAtlas.PAYMENTS;
import static io.github.atlasexport.atlas.SimulatedAtlas.STAGING;
import static io.github.atlasexport.atlas.SimulatedAtlas.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our Atlas client against the real simulator over loopback: every endpoint, both versions, both logins, the faults. */
class AtlasClientSimulatorIntegrationTests {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String EXPORTS = route(ApiVersion.V2, ReactorAtlasClient.EXPORTS);
    private static final String EXPORT = route(ApiVersion.V2, ReactorAtlasClient.EXPORT);

    private SimulatedAtlas atlas;

    @AfterEach
    void stop() {
        if (atlas != null) {
            atlas.close();
        }
    }

    @Test
    void listsABigClusterPageByPageNewestFirst() {
        atlas = SimulatedAtlas.start();
        AtlasClient client = atlas.client(API_KEY);

        List<ExportJob> jobs = client.listExportJobs(BULK, "Big").collectList().block(WAIT);

        assertEquals(BIG_CLUSTER_JOBS, jobs.size());
        assertEquals(BIG_CLUSTER_JOBS, new HashSet<>(jobs.stream().map(ExportJob::id).toList()).size(), "no job twice across pages");
        for (int i = 1; i < jobs.size(); i++) {
            assertTrue(jobs.get(i - 1).createdAt().isAfter(jobs.get(i).createdAt()), "newest first at " + i);
        }
        assertTrue(jobs.stream().allMatch(job -> ExportState.SUCCESSFUL.equals(job.state()) && !job.sharded()));
        RequestCounts counts = atlas.sim.requestCounts();
        assertEquals(3, counts.count("GET", EXPORTS, 200), "1207 jobs at 500 a page");
        assertEquals(1, counts.challenges());
        assertEquals(4, counts.total());
    }

    @Test
    void getsOneJobAndCreatesAnotherFromAnExistingSnapshot() {
        atlas = SimulatedAtlas.start();
        AtlasClient client = atlas.client(API_KEY);
        ExportJob existing = client.listExportJobs(PAYMENTS, "Cluster0").blockFirst(WAIT);

        ExportJob again = client.getExportJob(PAYMENTS, "Cluster0", existing.id()).block(WAIT);
        // The oldest snapshot: the newest is still being exported to BUCKET, and a second export of it is a 409.
        String snapshotId = client.listSnapshots(PAYMENTS, "Cluster0", false).blockLast(WAIT).id();
        ExportJob created = client.createExportJob(PAYMENTS, "Cluster0", new CreateExportJobRequest(snapshotId, BUCKET,
                List.of(new ExportJob.CustomData("exported by", "test")))).block(WAIT);

        assertEquals(existing, again);
        assertEquals(ExportState.QUEUED, created.state());
        assertEquals(snapshotId, created.snapshotId());
        assertEquals(BUCKET, created.exportBucketId());
        assertEquals(List.of(new ExportJob.CustomData("exported by", "test")), created.customData());
        assertEquals(created.id(), client.listExportJobs(PAYMENTS, "Cluster0").blockFirst(WAIT).id(), "the newest job is listed first");
        assertEquals(created, client.getExportJob(PAYMENTS, "Cluster0", created.id()).block(WAIT));
        assertEquals(1, atlas.sim.requestCounts().count("POST", EXPORTS, 200));
    }

    @Test
    void discoveryListsProjectsAndTheirClusters() {
        atlas = SimulatedAtlas.start();
        AtlasClient client = atlas.client(API_KEY);

        client.listProjects().as(StepVerifier::create)
                .expectNext(new Project(PAYMENTS, "Payments"), new Project(STAGING, "Staging"), new Project(BULK, "Bulk"))
                .verifyComplete();
        client.listClusters(PAYMENTS).as(StepVerifier::create)
                .expectNext(new Cluster(PAYMENTS, "Cluster0", "REPLICASET"), new Cluster(PAYMENTS, "Ledger", "SHARDED"))
                .verifyComplete();
        client.listExportJobs(PAYMENTS, "Ledger").as(StepVerifier::create)
                .expectNextMatches(job -> job.sharded() && job.components().size() == 3 && job.exportStatus() == null)
                .verifyComplete();
    }

    @Test
    void aFailedJobExplainsItselfInEitherApiVersion() {
        atlas = SimulatedAtlas.start();
        AtlasClient v2 = atlas.client(API_KEY);
        AtlasClient v1 = atlas.client(atlas.options(API_KEY).withApiVersion(ApiVersion.V1_0));

        ExportJob failed = v2.listExportJobs(PAYMENTS, "Cluster0").filter(job -> ExportState.FAILED.equals(job.state()))
                .single().block(WAIT);
        ExportJob legacy = v1.getExportJob(PAYMENTS, "Cluster0", failed.id()).block(WAIT);

        assertEquals(new ExportJob.StateReason("EXPORT_BUCKET_ACCESS_DENIED", FAILURE), failed.stateReason());
        assertNull(failed.errMsg());
        assertEquals(FAILURE, legacy.errMsg());
        assertNull(legacy.stateReason());
        assertEquals(FAILURE, failed.errorMessage());
        assertEquals(FAILURE, legacy.errorMessage());
        assertEquals(failed.finishedAt(), legacy.finishedAt());
        assertEquals(new ExportJob.ExportStatus(20, 40), legacy.exportStatus(), "a failed job stops half way");
        String oldestSnapshot = v1.listSnapshots(PAYMENTS, "Cluster0", false).blockLast(WAIT).id();
        ExportJob created = v1.createExportJob(PAYMENTS, "Cluster0", new CreateExportJobRequest(oldestSnapshot, BUCKET, null))
                .block(WAIT);
        assertEquals(ExportState.QUEUED, created.state());
        RequestCounts counts = atlas.sim.requestCounts();
        assertEquals(1, counts.count("GET", route(ApiVersion.V1_0, ReactorAtlasClient.EXPORT), 200));
        assertEquals(1, counts.count("POST", route(ApiVersion.V1_0, ReactorAtlasClient.EXPORTS), 200));
    }

    @Test
    void anUnknownStateIsCarriedThrough() {
        atlas = SimulatedAtlas.start();
        AtlasClient client = atlas.client(API_KEY);
        String id = client.listExportJobs(PAYMENTS, "Cluster0").blockFirst(WAIT).id();

        atlas.sim.setJobState(PAYMENTS, "Cluster0", id, "Paused", null);

        ExportJob paused = client.getExportJob(PAYMENTS, "Cluster0", id).block(WAIT);
        assertEquals("Paused", paused.state());
        assertFalse(ExportState.isTerminal(paused.state()));
        assertEquals("Paused", client.listExportJobs(PAYMENTS, "Cluster0").blockFirst(WAIT).state());
    }

    @Test
    void aServiceAccountFetchesOneTokenForManyConcurrentCalls() {
        atlas = SimulatedAtlas.start();
        AtlasClient client = atlas.client(ACCOUNT);
        String id = client.listExportJobs(PAYMENTS, "Cluster0").blockFirst(WAIT).id();

        Flux.range(0, 40)
                .flatMap(i -> i % 2 == 0
                        ? client.getExportJob(PAYMENTS, "Cluster0", id)
                        : client.listExportJobs(PAYMENTS, "Cluster0").last(), 16)
                .as(StepVerifier::create).expectNextCount(40).verifyComplete();

        RequestCounts counts = atlas.sim.requestCounts();
        assertEquals(1, counts.count("POST", "/api/oauth/token", 200));
        assertEquals(0, counts.countStatus(401));
        assertEquals(42, counts.total());
    }

    @Test
    void aWrongPrivateKeyFailsWith401AndKeepsTheKeySecret() {
        atlas = SimulatedAtlas.start();
        AtlasClient client = atlas.client(new Credentials.Digest("sim-public", "not-the-private-key"));

        client.listExportJobs(PAYMENTS, "Cluster0").as(StepVerifier::create)
                .expectErrorSatisfies(atlasError(401, "UNAUTHORIZED", ReactorAtlasClient.EXPORTS, "not-the-private-key", "response="))
                .verify(WAIT);
        assertEquals(2, atlas.sim.requestCounts().challenges(), "the challenge, then the wrongly signed try; no retry");
        assertEquals(2, atlas.sim.requestCounts().total());
    }

    @Test
    void aWrongClientSecretFailsAtTheTokenEndpointAndKeepsTheSecret() {
        atlas = SimulatedAtlas.start();
        AtlasClient client = atlas.client(new Credentials.ServiceAccount("sim-client", "not-the-secret"));

        client.listProjects().as(StepVerifier::create)
                .expectErrorSatisfies(atlasError(401, "invalid_client", "/api/oauth/token", "not-the-secret", "Basic"))
                .verify(WAIT);
        assertEquals(1, atlas.sim.requestCounts().total());
    }

    @Test
    void aStaleNonceCostsOneChallengeAndTheCallSucceeds() {
        atlas = SimulatedAtlas.start(SimulatedAtlas.scenario().withNonceLifetime(Duration.ofSeconds(30)),
                SimClock.startingAt(SimulatedAtlas.T0));
        AtlasClient client = atlas.client(API_KEY);
        String id = client.listExportJobs(PAYMENTS, "Cluster0").blockFirst(WAIT).id();
        atlas.sim.resetCounters();

        atlas.sim.advance(Duration.ofSeconds(31));
        client.getExportJob(PAYMENTS, "Cluster0", id).as(StepVerifier::create).expectNextCount(1).verifyComplete();
        client.getExportJob(PAYMENTS, "Cluster0", id).as(StepVerifier::create).expectNextCount(1).verifyComplete();

        RequestCounts counts = atlas.sim.requestCounts();
        assertEquals(1, counts.challenges(), "one stale=true challenge, answered with its fresh nonce");
        assertEquals(1, counts.count("GET", EXPORT, 401));
        assertEquals(2, counts.count("GET", EXPORT, 200));
        assertEquals(3, counts.total());
    }

    @Test
    void aForcedRateLimitIsWaitedOutThenTheCallSucceeds() {
        AtlasClient client = warmClientFacing(Fault.rateLimited(Duration.ofSeconds(1)).times(1));

        long start = System.nanoTime();
        client.listExportJobs(PAYMENTS, "Cluster0").as(StepVerifier::create).expectNextCount(3).verifyComplete();

        assertWaitedAtLeast(Duration.ofSeconds(1), start);
        RequestCounts counts = atlas.sim.requestCounts();
        assertEquals(1, counts.count("GET", EXPORTS, 429));
        assertEquals(1, counts.count("GET", EXPORTS, 200));
    }

    @Test
    void theSimulatorsOwnTokenBucketIsWaitedOut() throws Exception {
        atlas = SimulatedAtlas.start(SimulatedAtlas.scenario().withRateLimit(Scenario.RateLimit.perMinute(60, 1)),
                SimClock.startingAt(SimulatedAtlas.T0));
        AtlasClient client = atlas.client(API_KEY);
        atlas.warmUp(client); // takes the project's only token; on a clock standing still none comes back

        long start = System.nanoTime();
        CompletableFuture<List<ExportJob>> jobs = client.listExportJobs(PAYMENTS, "Cluster0").collectList().toFuture();
        Flux.interval(Duration.ofMillis(10))
                .filter(tick -> atlas.sim.requestCounts().count("GET", EXPORTS, 429) > 0)
                .blockFirst(WAIT);
        atlas.sim.advance(Duration.ofSeconds(1));

        assertEquals(3, jobs.get(WAIT.toSeconds(), TimeUnit.SECONDS).size());
        assertWaitedAtLeast(Duration.ofSeconds(1), start);
        RequestCounts counts = atlas.sim.requestCounts();
        assertEquals(1, counts.count("GET", EXPORTS, 429), "one 429, then a wait as long as Retry-After");
        assertEquals(1, counts.count("GET", EXPORTS, 200));
    }

    @Test
    void serverErrorsAreRetriedUntilTheCallSucceeds() {
        AtlasClient client = warmClientFacing(Fault.error(503).times(2));

        client.listExportJobs(PAYMENTS, "Cluster0").as(StepVerifier::create).expectNextCount(3).verifyComplete();

        RequestCounts counts = atlas.sim.requestCounts();
        assertEquals(2, counts.count("GET", EXPORTS, 503));
        assertEquals(1, counts.count("GET", EXPORTS, 200));
        assertEquals(List.of(503, 503, 200), atlas.seen.stream().map(ExchangeListener.Exchange::status).toList());
    }

    @Test
    void aResetConnectionIsRetried() {
        AtlasClient client = warmClientFacing(Fault.reset().times(1));

        client.listExportJobs(PAYMENTS, "Cluster0").as(StepVerifier::create).expectNextCount(3).verifyComplete();

        assertEquals(1, atlas.sim.requestCounts().countStatus(0), "the reset");
        assertEquals(1, atlas.sim.requestCounts().count("GET", EXPORTS, 200));
        assertEquals(List.of(0, 200), atlas.seen.stream().map(ExchangeListener.Exchange::status).toList());
    }

    /**
     * The session of an exchange that got no answer is back in the pool before the failure goes on: a retry
     * that starts at once still signs with it instead of paying for a challenge. Under load the retry's
     * backoff could run out before the failed exchange had given its session back.
     */
    @Test
    void aRetryAfterAResetSignsWithTheSessionTheResetExchangeHeld() {
        atlas = SimulatedAtlas.start();
        AtlasClient client = atlas.client(atlas.options(API_KEY)
                .withRetryPolicy(new RetryPolicy(3, Duration.ZERO, Duration.ZERO, 0, Duration.ofSeconds(5))));
        atlas.warmUp(client);

        for (int call = 0; call < 20; call++) {
            atlas.sim.setFaults(List.of(Fault.reset().forGroup(PAYMENTS).times(1)));
            client.listExportJobs(PAYMENTS, "Cluster0").as(StepVerifier::create).expectNextCount(3).expectComplete().verify(WAIT);
        }

        RequestCounts counts = atlas.sim.requestCounts();
        assertEquals(20, counts.countStatus(0), "the resets");
        assertEquals(20, counts.count("GET", EXPORTS, 200));
        assertEquals(0, counts.challenges(), "every retry signed with the session its reset exchange held");
    }

    /** A cut-short body is not a transient fault: the same server would most likely send it again. */
    @Test
    void aMalformedBodyFailsAtOnceAsMalformedResponse() {
        AtlasClient client = warmClientFacing(Fault.malformed().times(1));

        client.listExportJobs(PAYMENTS, "Cluster0").as(StepVerifier::create)
                .expectErrorSatisfies(atlasError(200, AtlasErrors.MALFORMED_RESPONSE, ReactorAtlasClient.EXPORTS))
                .verify(WAIT);
        assertEquals(1, atlas.sim.requestCounts().total(), "not retried");
        assertTrue(atlas.sim.faults().isEmpty());
        client.listExportJobs(PAYMENTS, "Cluster0").as(StepVerifier::create).expectNextCount(3).verifyComplete();
    }

    /** A client that already holds a nonce, facing {@code fault} on project Payments from now on. */
    private AtlasClient warmClientFacing(Fault fault) {
        atlas = SimulatedAtlas.start();
        AtlasClient client = atlas.client(API_KEY);
        atlas.warmUp(client);
        atlas.sim.setFaults(List.of(fault.forGroup(PAYMENTS)));
        return client;
    }

    private static void assertWaitedAtLeast(Duration expected, long startNanos) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        assertTrue(took.compareTo(expected) >= 0, "waited only " + took);
    }
}
