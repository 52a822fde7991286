package io.github.atlasexport.cli;

import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.AtlasClients;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.monitor.RetryMarker;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.testing.SimWorld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.github.atlasexport.testing.SimWorld.ORDERS;
import static io.github.atlasexport.testing.SimWorld.SHOP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jobs retry} against a simulator of its own (its Orders cluster starts with no job). */
class JobsRetryIntegrationTests {
    private AtlasSimulator sim;
    private AtlasClient client;

    @BeforeEach
    void start() {
        sim = AtlasSimulator.start("127.0.0.1", 0, SimWorld.scenario());
        client = AtlasClients.create(AtlasClientOptions.create(URI.create(sim.baseUrl()), SimWorld.KEY));
    }

    @AfterEach
    void stop() {
        client.close();
        sim.close();
    }

    @Test
    void dryRunCreatesNothingThenARetryIsMadeOnceAndASecondRunSkips() {
        String failed = sim.addJob(SHOP, ORDERS, SimWorld.WAITS_QUEUED);
        sim.setJobState(SHOP, ORDERS, failed, ExportState.FAILED, "bucket policy broken");

        CliIntegrationTests.Run dry = retry(failed, "--dry-run");
        assertEquals(0, dry.exitCode(), dry::toString);
        assertTrue(dry.out().contains("dry_run: job " + failed), dry::toString);
        assertEquals(List.of(), retries(failed));

        CliIntegrationTests.Run made = retry(failed);
        assertEquals(0, made.exitCode(), made::toString);
        List<ExportJob> retries = retries(failed);
        assertEquals(1, retries.size());
        assertTrue(made.out().contains("job " + failed + " retried as job " + retries.get(0).id()), made::toString);

        CliIntegrationTests.Run again = retry(failed);
        assertEquals(Main.EXIT_RUNTIME, again.exitCode(), again::toString);
        assertTrue(again.out().contains("skipped_exists"), again::toString);
        assertEquals(1, retries(failed).size(), "never twice");
    }

    @Test
    void aJobThatIsNotFailedIsRefusedNamingItsState() {
        String queued = sim.addJob(SHOP, ORDERS, SimWorld.WAITS_QUEUED);

        CliIntegrationTests.Run run = retry(queued);

        assertEquals(Main.EXIT_RUNTIME, run.exitCode(), run::toString);
        assertTrue(run.out().contains("is Queued: only Failed jobs are retried"), run::toString);
        assertEquals(0, sim.requestCounts().count("POST",
                "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports", 200));
    }

    private CliIntegrationTests.Run retry(String id, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("jobs", "retry", "--id", id, "--base-url", sim.baseUrl(),
                "--public-key", "sim-public", "--group", SHOP, "--cluster", ORDERS));
        args.addAll(List.of(more));
        return CliIntegrationTests.run(Map.of("ATLAS_PRIVATE_KEY", CliIntegrationTests.PRIVATE_KEY), args.toArray(String[]::new));
    }

    private List<ExportJob> retries(String original) {
        return RetryMarker.retriesOf(original, client.listExportJobs(SHOP, ORDERS).collectList().block(Duration.ofSeconds(10)));
    }
}
