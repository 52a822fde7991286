package io.github.atlasexport.runtime;

import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.AtlasClients;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.monitor.RetryMarker;
import io.github.atlasexport.remediation.RetryIntent;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.simulator.Fault;
import io.github.atlasexport.testing.Await;
import io.github.atlasexport.testing.Processes;
import io.github.atlasexport.testing.SimWorld;
import io.github.atlasexport.testing.StateDb;
import io.github.atlasexport.testing.TempDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.github.atlasexport.runtime.AlertsEndToEnd.GROUP;
import static io.github.atlasexport.runtime.AlertsEndToEnd.simulator;
import static io.github.atlasexport.runtime.AlertsEndToEnd.status;
import static io.github.atlasexport.testing.SimWorld.KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Never twice: the monitor as its own JVM, killed with SIGKILL once its retry intent is in the state
 * file but its POST has not landed, and once right after the POST landed; the simulator lives in the
 * test JVM, so it outlives the kill. After a restart exactly one retry exists.
 */
class RemediationCrashIntegrationTests {
    /**
     * A POST (like every call of the cluster) held this long: the kill lands while it waits, and the
     * simulator creates the job only after the second monitor is up and has seen the failed job again
     * without a retry in the list. Only the committed intent keeps that monitor from posting a second one.
     */
    private static final Duration HELD = Duration.ofSeconds(8);
    /** A cluster with no job yet: no other export covers the failed job's snapshot and bucket. */
    private static final String CLUSTER = AlertsEndToEnd.QUIET_CLUSTER;

    private Path dir;
    private Path config;
    private Path statePath;
    private URI monitorUrl;
    private AtlasSimulator simulator;
    private AtlasClient client;
    private Process monitor;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("remediation-crash");
        statePath = dir.resolve("state.db");
        simulator = simulator();
        client = AtlasClients.create(AtlasClientOptions.create(URI.create(simulator.baseUrl()), KEY));
        config = dir.resolve("config.yaml");
        Files.writeString(config, """
                atlas:
                  baseUrl: %s
                  auth:
                    digest: {publicKey: sim-public, privateKey: sim-private}
                  requestTimeout: 20s
                  requestsPerMinute: 6000
                targets:
                  - groupId: %s
                    clusters: [%s]
                poll:
                  interval: 300ms
                  activeInterval: 200ms
                remediation:
                  retryFailed: {enabled: true, after: 1s, maxAttempts: 2}
                server:
                  listen: 127.0.0.1:0
                state:
                  path: %s
                """.formatted(simulator.baseUrl(), GROUP, CLUSTER, statePath));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        try {
            if (monitor != null) {
                monitor.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            client.close();
            simulator.close();
            TempDirs.delete(dir);
        }
    }

    @Test
    void killedBetweenTheIntentAndThePostExactlyOneRetryExistsAfterTheRestart() throws Exception {
        String original = failedJobSeen();
        // Every call of the cluster now waits: the snapshot GET, then the POST, which the kill cuts off.
        simulator.setFaults(List.of(Fault.latency(HELD).forCluster(GROUP, CLUSTER)));
        Await.until(Duration.ofSeconds(30), () -> "the intent in the state file" + logs(),
                () -> StateDb.documents(statePath, RetryIntent.KIND).values().stream()
                        .anyMatch(intent -> intent.path("status").asText().equals("PENDING")));
        kill();
        simulator.clearFaults();

        restartAndExpectOneRetryOf(original);
    }

    @Test
    void killedRightAfterThePostExactlyOneRetryExistsAfterTheRestart() throws Exception {
        String original = failedJobSeen();
        Await.until(Duration.ofSeconds(30), () -> "the retry in the simulator" + logs(), () -> retriesOf(original).size() == 1);
        kill();

        restartAndExpectOneRetryOf(original);
    }

    /** A job the first monitor saw Queued, then Failed. */
    private String failedJobSeen() throws IOException {
        String original = simulator.addJob(GROUP, CLUSTER, SimWorld.WAITS_QUEUED);
        startMonitor("first");
        Await.until(Duration.ofSeconds(30), () -> "the first monitor to be ready" + logs(),
                () -> monitor.isAlive() && status(monitorUrl.resolve("-/ready")) == 200);
        simulator.setJobState(GROUP, CLUSTER, original, "Failed", "bucket policy broken");
        AlertsEndToEnd.awaitMonitorSees(monitorUrl, original, "Failed");
        return original;
    }

    /** A monitor JVM on a port of its choosing (none found free beforehand that another process could take first). */
    private void startMonitor(String run) throws IOException {
        Path log = dir.resolve("monitor-" + run + ".log");
        monitor = Processes.monitor(config, log);
        monitorUrl = Processes.monitorUrl(monitor, log);
    }

    private void kill() throws InterruptedException {
        assertTrue(monitor.destroyForcibly().waitFor(10, TimeUnit.SECONDS), "the monitor was killed");
    }

    private void restartAndExpectOneRetryOf(String original) throws IOException {
        startMonitor("second");
        Await.until(Duration.ofSeconds(30), () -> "the second monitor to be ready" + logs(),
                () -> monitor.isAlive() && status(monitorUrl.resolve("-/ready")) == 200);
        Await.until(Duration.ofSeconds(30), () -> "one retry after the restart" + logs(), () -> retriesOf(original).size() == 1);
        Await.until(Duration.ofSeconds(30), () -> "the intent settled as created" + logs(),
                () -> StateDb.documents(statePath, RetryIntent.KIND).values().stream()
                        .anyMatch(intent -> intent.path("status").asText().equals("CREATED")));
        // Past the request timeout (the longest an unanswered POST is waited for) and more polls: time
        // enough for a wrong second retry to be made.
        long polls = simulator.requestCounts().count("GET", CrashRecoveryIntegrationTests.EXPORTS_ROUTE, 200);
        Await.until(Duration.ofSeconds(30), () -> "more polls", () -> simulator.requestCounts()
                .count("GET", CrashRecoveryIntegrationTests.EXPORTS_ROUTE, 200) >= polls + 5);
        assertTrue(monitor.isAlive(), this::logs);
        List<ExportJob> retries = retriesOf(original);
        assertEquals(1, retries.size(), () -> "retries " + retries + logs());
    }

    private List<ExportJob> retriesOf(String original) {
        return RetryMarker.retriesOf(original, client.listExportJobs(GROUP, CLUSTER).collectList().block(Http.TIMEOUT));
    }

    private String logs() {
        StringBuilder out = new StringBuilder();
        for (String run : List.of("first", "second")) {
            try {
                out.append("\n--- monitor ").append(run).append(" ---\n").append(Files.readString(dir.resolve("monitor-" + run + ".log")));
            } catch (IOException e) {
                out.append("\n--- monitor ").append(run).append(": no log ---");
            }
        }
        return out.toString();
    }
}
