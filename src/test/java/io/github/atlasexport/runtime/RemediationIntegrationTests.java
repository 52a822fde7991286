package io.github.atlasexport.runtime;

import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.AtlasClients;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.config.ConfigDefaults;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.monitor.RetryMarker;
import io.github.atlasexport.simulator.AtlasSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.github.atlasexport.testing.SimWorld.INSIGHTS;
import static io.github.atlasexport.testing.SimWorld.KEY;
import static io.github.atlasexport.testing.SimWorld.ORDERS;
import static io.github.atlasexport.testing.SimWorld.SHOP;
import static io.github.atlasexport.testing.SimWorld.WAITS_QUEUED;
import static io.github.atlasexport.testing.SimWorld.scenario;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code remediation.retryFailed} end to end: the monitor in-process against the simulator with a
 * one-second {@code after}; what it creates is read back from the simulator over the Atlas API.
 */
class RemediationIntegrationTests {
    static final String REMEDIATIONS = "atlas_export_remediations_total";
    private static final Duration AFTER = Duration.ofSeconds(1);

    private AtlasSimulator sim;
    private MonitorRuntime monitor;
    private AtlasClient client;
    private AlertReceiver receiver;

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.close();
        }
        if (client != null) {
            client.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void aFailedJobIsRetriedAfterAfterWithTheMarkerAndTheAlertIsFollowedUp(@TempDir Path dir) {
        start(dir, new MonitorConfig.RetryFailed(true, AFTER, 2, false, List.of()));
        String original = sim.addJob(SHOP, ORDERS, WAITS_QUEUED);
        awaitMetrics("the job seen Queued", m -> MonitorIntegrationTests.stateOf(m, SHOP, ORDERS, original) != null);

        sim.setJobState(SHOP, ORDERS, original, ExportState.FAILED, "bucket policy broken");
        ExportJob failed = job(original);
        ExportJob retry = awaitRetries(original, 1).get(0);

        assertEquals(failed.snapshotId(), retry.snapshotId());
        assertEquals(failed.exportBucketId(), retry.exportBucketId());
        assertEquals(List.of(new ExportJob.CustomData(RetryMarker.KEY, original)), retry.customData());
        assertTrue(retry.createdAt().isAfter(failed.finishedAt().plus(AFTER).minusMillis(1)), "not before `after`");
        PromText m = awaitMetrics("created counted", x -> outcome(x, "created") == 1.0);
        assertEquals(0.0, outcome(m, "error"));

        sim.setJobState(SHOP, ORDERS, retry.id(), ExportState.SUCCESSFUL, null);
        awaitMetrics("the retry Successful",
                x -> ExportState.SUCCESSFUL.equals(MonitorIntegrationTests.stateOf(x, SHOP, ORDERS, retry.id())));
        Http.await("the follow-up notice", Mono.fromSupplier(receiver::accepted), deliveries -> deliveries.stream()
                .anyMatch(d -> d.jobId().equals(original) && retry.id().equals(d.body().path("annotations").path("retried_as").asText())));
        String jobs = Http.get(monitor.url() + "api/v1/jobs").body();
        assertTrue(jobs.contains("\"retried_as\":[\"" + retry.id() + "\"]"), jobs);
        assertTrue(jobs.contains("\"retry_of\":\"" + original + "\""), jobs);
        String page = Http.get(monitor.url()).body();
        assertTrue(page.contains("retried as <code>" + retry.id() + "</code>"), page);
        assertTrue(page.contains("retry of <code>" + original + "</code>"), page);
        PromText after = awaitMetrics("the retry counted once", x -> outcome(x, "created") == 1.0);
        assertEquals(0.0, outcome(after, "skipped_exists"), "its own retry is no reason to count a skip");
        assertEquals(1, retriesOf(original).size(), "exactly one retry");
    }

    @Test
    void aRetryThatFailsCountsAndMaxAttemptsStopsTheChain(@TempDir Path dir) {
        start(dir, new MonitorConfig.RetryFailed(true, AFTER, 1, false, List.of()));
        String original = sim.addJob(SHOP, ORDERS, WAITS_QUEUED);
        awaitMetrics("the job seen Queued", m -> MonitorIntegrationTests.stateOf(m, SHOP, ORDERS, original) != null);
        sim.setJobState(SHOP, ORDERS, original, ExportState.FAILED, "bucket policy broken");
        ExportJob retry = awaitRetries(original, 1).get(0);

        sim.setJobState(SHOP, ORDERS, retry.id(), ExportState.FAILED, "still broken");

        awaitMetrics("attempts spent", m -> outcome(m, "skipped_attempts") == 1.0);
        assertEquals(1, retriesOf(original).size());
    }

    @Test
    void dryRunCountsWhatItWouldCreateAndCreatesNothing(@TempDir Path dir) {
        start(dir, new MonitorConfig.RetryFailed(true, AFTER, 2, true, List.of()));
        String original = sim.addJob(SHOP, ORDERS, WAITS_QUEUED);
        awaitMetrics("the job seen Queued", m -> MonitorIntegrationTests.stateOf(m, SHOP, ORDERS, original) != null);

        sim.setJobState(SHOP, ORDERS, original, ExportState.FAILED, "bucket policy broken");

        PromText m = awaitMetrics("dry run counted", x -> outcome(x, "dry_run") == 1.0);
        assertEquals(0.0, outcome(m, "created"));
        assertEquals(List.of(), retriesOf(original));
        assertEquals(0, sim.requestCounts().count("POST",
                "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports", 200));
    }

    @Test
    void aSnapshotGoneIsSkippedWithoutAPost(@TempDir Path dir) {
        start(dir, new MonitorConfig.RetryFailed(true, AFTER, 2, false, List.of()));
        String original = sim.addJob(SHOP, ORDERS, WAITS_QUEUED);
        awaitMetrics("the job seen Queued", m -> MonitorIntegrationTests.stateOf(m, SHOP, ORDERS, original) != null);
        assertTrue(sim.removeSnapshot(SHOP, ORDERS, job(original).snapshotId()));

        sim.setJobState(SHOP, ORDERS, original, ExportState.FAILED, "snapshot expired");

        PromText m = awaitMetrics("snapshot gone counted", x -> outcome(x, "skipped_snapshot_gone") == 1.0);
        assertEquals(0.0, outcome(m, "created"));
        assertEquals(List.of(), retriesOf(original));
    }

    private void start(Path dir, MonitorConfig.RetryFailed policy) {
        sim = AtlasSimulator.start("127.0.0.1", 0, scenario());
        client = AtlasClients.create(AtlasClientOptions.create(URI.create(sim.baseUrl()), KEY));
        receiver = AlertReceiver.alwaysOk();
        monitor = MonitorRuntime.start(config(URI.create(sim.baseUrl()), dir, policy, receiver.url()),
                MonitorIntegrationTests.FAST_RETRIES);
    }

    static MonitorConfig config(URI atlas, Path dir, MonitorConfig.RetryFailed policy, URI webhook) {
        MonitorConfig.Poll poll = new MonitorConfig.Poll(Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofDays(7));
        MonitorConfig.Remediation remediation = new MonitorConfig.Remediation(policy);
        MonitorConfig.Alerts alerts = new MonitorConfig.Alerts(ConfigDefaults.FAILED, ConfigDefaults.CANCELLED,
                ConfigDefaults.STUCK, ConfigDefaults.NO_RECENT_SUCCESS, ConfigDefaults.TARGET_DOWN,
                List.of(new MonitorConfig.Sink("webhook", webhook, AlertReceiver.SECRET, null, Map.of())));
        return new MonitorConfig(
                new MonitorConfig.Atlas(atlas, ApiVersion.V2, KEY, Duration.ofSeconds(5), 8, 100_000),
                List.of(new MonitorConfig.Target(SHOP, List.of(ORDERS), poll, ConfigDefaults.STUCK, remediation),
                        new MonitorConfig.Target(INSIGHTS, List.of(), poll, ConfigDefaults.STUCK)),
                poll, alerts, new MonitorConfig.Server("127.0.0.1", 0), new MonitorConfig.State(dir.resolve("state.db")))
                .withRemediation(remediation);
    }

    private ExportJob job(String id) {
        return client.getExportJob(SHOP, ORDERS, id).block(Http.TIMEOUT);
    }

    private List<ExportJob> retriesOf(String original) {
        return listRetries(original).block(Http.TIMEOUT);
    }

    private Mono<List<ExportJob>> listRetries(String original) {
        return client.listExportJobs(SHOP, ORDERS).collectList().map(jobs -> RetryMarker.retriesOf(original, jobs));
    }

    private List<ExportJob> awaitRetries(String original, int count) {
        return Http.await(count + " retry of " + original, listRetries(original), retries -> retries.size() >= count);
    }

    private static double outcome(PromText m, String outcome) {
        Double value = m.byLabel(REMEDIATIONS, "outcome", Map.of("group_id", SHOP, "cluster_name", ORDERS)).get(outcome);
        return value == null ? 0.0 : value;
    }

    private PromText awaitMetrics(String what, Predicate<PromText> done) {
        return Http.await(what, Http.get(monitor.url() + "metrics", "text/plain")
                .map(response -> PromText.parse(response.body())), done);
    }
}
