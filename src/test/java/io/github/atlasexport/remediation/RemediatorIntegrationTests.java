package io.github.atlasexport.remediation;

import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.AtlasClients;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.config.MonitorConfig.RetryFailed;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.RetryMarker;
import io.github.atlasexport.monitor.TrackedJob;
import io.github.atlasexport.simulator.AtlasSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.atlasexport.testing.SimWorld.KEY;
import static io.github.atlasexport.testing.SimWorld.ORDERS;
import static io.github.atlasexport.testing.SimWorld.SHOP;
import static io.github.atlasexport.testing.SimWorld.WAITS_QUEUED;
import static io.github.atlasexport.testing.SimWorld.scenario;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The I/O shell against the simulator: what is committed, what is posted, and when nothing is. */
class RemediatorIntegrationTests {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final ClusterKey CLUSTER = new ClusterKey(SHOP, ORDERS);
    private static final RetryFailed POLICY = new RetryFailed(true, Duration.ofMinutes(15), 2, false, List.of());
    private static final String POSTS = "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports";

    private AtlasSimulator sim;
    private AtlasClient client;
    private final List<RemediationOutcome> outcomes = new ArrayList<>();
    private final List<String> retried = new ArrayList<>();

    @BeforeEach
    void start() {
        sim = AtlasSimulator.start("127.0.0.1", 0, scenario());
        client = AtlasClients.create(AtlasClientOptions.create(URI.create(sim.baseUrl()), KEY));
    }

    @AfterEach
    void stop() {
        client.close();
        sim.close();
    }

    @Test
    void aPendingIntentIsSettledByTheListNeverByASecondBlindPost() {
        String original = failedJob();
        Instant failedAt = Instant.now().minus(Duration.ofHours(1));
        Instant committedAt = Instant.now();
        RetryIntent pending = new RetryIntent(SHOP, ORDERS, original, 1, committedAt, RetryIntent.Status.PENDING, null);
        Remediator remediator = remediator(() -> Mono.empty(), List.of(pending));

        remediator.consider(snapshot(failedAt, committedAt.plusSeconds(1)), POLICY).block(WAIT);

        assertEquals(0, posts(), "the POST before the crash may still land: no second one yet");
        assertEquals(Map.of(pending.key(), pending), remediator.intents());

        remediator.consider(snapshot(failedAt, committedAt.plus(SETTLE)), POLICY).block(WAIT);

        assertEquals(1, posts(), "a list taken `settle` after the intent shows no retry: it never landed");
        List<ExportJob> retries = retries(original);
        assertEquals(1, retries.size());
        assertEquals(RetryIntent.Status.CREATED, remediator.intents().get(pending.key()).status());
        assertEquals(retries.get(0).id(), remediator.intents().get(pending.key()).retryJobId());
        assertEquals(List.of(RemediationOutcome.CREATED), outcomes);
        assertEquals(List.of(retries.get(0).id()), retried);
    }

    @Test
    void aPendingIntentWhoseRetryIsListedIsSettledAsCreated() {
        String original = failedJob();
        ExportJob failed = client.getExportJob(SHOP, ORDERS, original).block(WAIT);
        ExportJob made = client.createExportJob(SHOP, ORDERS, new io.github.atlasexport.atlas.CreateExportJobRequest(
                failed.snapshotId(), failed.exportBucketId(), RetryMarker.mark(List.of(), original))).block(WAIT);
        Instant committedAt = Instant.now();
        RetryIntent pending = new RetryIntent(SHOP, ORDERS, original, 1, committedAt, RetryIntent.Status.PENDING, null);
        Remediator remediator = remediator(() -> Mono.empty(), List.of(pending));

        remediator.consider(snapshot(committedAt.minus(Duration.ofHours(1)), committedAt.plusSeconds(1)), POLICY).block(WAIT);

        assertEquals(1, posts(), "only the one made above");
        assertEquals(made.id(), remediator.intents().get(pending.key()).retryJobId());
        assertEquals(List.of(RemediationOutcome.CREATED), outcomes);
    }

    @Test
    void anIntentThatCouldNotBeSavedSendsNothing() {
        String original = failedJob();
        Remediator remediator = remediator(() -> Mono.error(new IllegalStateException("disk full")), List.of());

        remediator.consider(snapshot(Instant.now().minus(Duration.ofHours(1)), Instant.now()), POLICY).block(WAIT);

        assertEquals(0, posts());
        assertEquals(List.of(), retries(original));
        assertEquals(Map.of(), remediator.intents());
        assertEquals(List.of(RemediationOutcome.ERROR), outcomes);
    }

    @Test
    void theRetryCarriesTheOriginalCustomDataAndTheMarker() {
        String original = failedJob();
        Remediator remediator = remediator(() -> Mono.empty(), List.of());

        remediator.consider(snapshot(Instant.now().minus(Duration.ofHours(1)), Instant.now()), POLICY).block(WAIT);

        List<ExportJob> retries = retries(original);
        assertEquals(1, retries.size());
        assertEquals(List.of(new ExportJob.CustomData(RetryMarker.KEY, original)), retries.get(0).customData());
        assertTrue(remediator.intents().values().stream().allMatch(i -> i.status() == RetryIntent.Status.CREATED));
    }

    @Test
    void aJobAlreadyFailedAtTheFirstPollIsHistoryNotRetried() {
        String original = failedJob();
        Instant later = Instant.now().plus(Duration.ofHours(1));
        Remediator remediator = remediator(() -> Mono.empty(), List.of());

        ClusterSnapshot seen = snapshot(Instant.now().minus(Duration.ofHours(1)), later);
        remediator.consider(new ClusterSnapshot(CLUSTER, seen.jobs(), later, later.minusSeconds(60)), POLICY).block(WAIT);

        assertEquals(0, posts());
        assertEquals(List.of(), retries(original));
        assertEquals(List.of(), outcomes);
    }

    private Remediator remediator(Remediator.Commit commit, List<RetryIntent> restored) {
        return new Remediator(client, commit, new Remediator.Listener() {
            @Override
            public void outcome(ClusterKey cluster, RemediationOutcome outcome) {
                outcomes.add(outcome);
            }

            @Override
            public void retried(ClusterKey cluster, ExportJob original, String retryJobId) {
                retried.add(retryJobId);
            }

            @Override
            public void intentsChanged() {
            }
        }, SETTLE, restored);
    }

    private String failedJob() {
        String id = sim.addJob(SHOP, ORDERS, WAITS_QUEUED);
        sim.setJobState(SHOP, ORDERS, id, ExportState.FAILED, "bucket policy broken");
        return id;
    }

    /**
     * The cluster as a poll at {@code observedAt} would see it, every job in its state since {@code since},
     * the cluster first polled a minute before.
     */
    private ClusterSnapshot snapshot(Instant since, Instant observedAt) {
        Map<String, TrackedJob> jobs = new LinkedHashMap<>();
        client.listExportJobs(SHOP, ORDERS).collectList().block(WAIT)
                .forEach(job -> jobs.put(job.id(), new TrackedJob(job, since, since, since, false)));
        return new ClusterSnapshot(CLUSTER, jobs, observedAt, since.minusSeconds(60)); // first polled before the jobs were seen
    }

    private List<ExportJob> retries(String original) {
        return RetryMarker.retriesOf(original, client.listExportJobs(SHOP, ORDERS).collectList().block(WAIT));
    }

    private long posts() {
        return sim.requestCounts().count("POST", POSTS, 200);
    }
}
