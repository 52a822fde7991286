package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.testing.StateDb;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.testing.Await;
import io.github.atlasexport.testing.Processes;
import io.github.atlasexport.testing.TempDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.github.atlasexport.runtime.AlertsEndToEnd.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitor as its own JVM ({@code Main run --config}), killed with SIGKILL while its webhook
 * receiver is down: the alerts it had queued are in the state file and are delivered after a
 * restart, and an alert delivered before the crash is not sent again.
 */
class CrashRecoveryIntegrationTests {
    static final String EXPORTS_ROUTE = "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports";

    Path dir;
    Path config;
    Path statePath;
    URI monitorUrl;
    int receiverPort;
    AtlasSimulator simulator;
    AlertReceiver receiver;
    Process monitor;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("crash-recovery");
        statePath = dir.resolve("state.db");
        simulator = simulator();
        // Bound here, on port 0: a port found free beforehand could be taken before the receiver bound it.
        receiver = AlertReceiver.alwaysOk();
        receiverPort = receiver.url().getPort();
        config = dir.resolve("config.yaml");
        Files.writeString(config, """
                atlas:
                  baseUrl: %s
                  auth:
                    digest: {publicKey: sim-public, privateKey: sim-private}
                  requestTimeout: 5s
                  requestsPerMinute: 6000
                targets:
                  - groupId: %s
                    clusters: [%s]
                poll:
                  interval: 300ms
                  activeInterval: 200ms
                alerts:
                  sinks:
                    - type: webhook
                      url: http://127.0.0.1:%d/hook
                      secret: %s
                server:
                  listen: 127.0.0.1:0
                state:
                  path: %s
                """.formatted(simulator.baseUrl(), GROUP, CLUSTER, receiverPort, AlertReceiver.SECRET, statePath));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        try {
            if (monitor != null) {
                monitor.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            if (receiver != null) {
                receiver.close();
            }
            simulator.close();
            TempDirs.delete(dir);
        }
    }

    /** A monitor JVM on a port of its choosing, {@link #monitorUrl} once it listens. */
    Process startMonitor(String run) throws IOException {
        Path log = dir.resolve("monitor-" + run + ".log");
        monitor = Processes.monitor(config, log);
        monitorUrl = Processes.monitorUrl(monitor, log);
        return monitor;
    }

    String logs() {
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

    /** What the state database holds for alerting, for failure messages. */
    String savedAlerts() {
        return StateDb.documents(statePath, "alert-rules") + " outbox: " + StateDb.documents(statePath, "outbox");
    }

    /** job id of each notice waiting in the saved outbox, by notice id. */
    Map<String, String> savedOutbox() {
        Map<String, String> jobByNotice = new LinkedHashMap<>();
        for (JsonNode entry : StateDb.documents(statePath, "outbox").values()) {
            jobByNotice.put(entry.path("notice").path("id").asText(),
                    entry.path("notice").path("labels").path("job_id").asText());
        }
        return jobByNotice;
    }

    boolean savedAsFired(String alertname, String jobId) {
        for (JsonNode rules : StateDb.documents(statePath, "alert-rules").values()) {
            for (JsonNode key : rules.path("fired")) {
                if (key.asText().equals(alertname + "/" + GROUP + "/" + CLUSTER + "/" + jobId)) {
                    return true;
                }
            }
        }
        return false;
    }

    long listPolls() {
        return simulator.requestCounts().count("GET", EXPORTS_ROUTE, 200);
    }

    @Test
    void queuedAlertsSurviveAKillAndADeliveredAlertIsNotSentAgain() throws Exception {
        // Created before the first start: the first poll takes them in as they are, Queued, without alerts.
        String deliveredJob = queuedJob(simulator);
        Set<String> queuedJobs = Set.of(queuedJob(simulator), queuedJob(simulator), queuedJob(simulator));

        monitor = startMonitor("first");
        Await.until(Duration.ofSeconds(30), () -> "the first monitor to be ready" + logs(),
                () -> monitor.isAlive() && status(monitorUrl.resolve("-/ready")) == 200);
        setState(simulator, deliveredJob, "Failed");
        Await.until(Duration.ofSeconds(30), () -> "the failure of " + deliveredJob + " delivered" + logs(),
                () -> !receiver.accepted().isEmpty());
        String deliveredId = receiver.accepted().get(0).id();
        assertEquals(deliveredJob, receiver.accepted().get(0).jobId());
        // Only once the file says so is the delivery durable; a crash before would rightly repeat it.
        Await.until(Duration.ofSeconds(30), () -> "the state file to record the delivery: " + savedAlerts(),
                () -> savedOutbox().isEmpty() && savedAsFired("AtlasExportJobFailed", deliveredJob));

        receiver.close();
        receiver = null;
        List<String> jobs = List.copyOf(queuedJobs);
        setState(simulator, jobs.get(0), "Failed");
        setState(simulator, jobs.get(1), "Cancelled");
        setState(simulator, jobs.get(2), "Failed");
        Await.until(Duration.ofSeconds(30), () -> "three notices queued in the state file: " + savedAlerts() + logs(),
                () -> new HashSet<>(savedOutbox().values()).equals(queuedJobs));
        Set<String> queuedIds = Set.copyOf(savedOutbox().keySet());
        assertTrue(monitor.destroyForcibly().waitFor(10, TimeUnit.SECONDS), "the first monitor was killed");

        // Back where the config says (the one port of these tests chosen before it is bound; it was ours
        // until a few seconds ago).
        receiver = AlertReceiver.startOn(receiverPort);
        monitor = startMonitor("second");
        Await.until(Duration.ofSeconds(30), () -> "every queued notice " + queuedIds + " delivered after the restart; got "
                        + receiver.deliveries() + logs(),
                () -> receiver.accepted().stream().map(AlertReceiver.Delivery::id).collect(Collectors.toSet())
                        .containsAll(queuedIds));
        Await.until(Duration.ofSeconds(30), () -> "the restarted monitor to empty its saved outbox: " + savedAlerts(),
                () -> savedOutbox().isEmpty());
        // A few more polls of the cluster: time enough for a wrongly repeated alert to be raised and sent.
        long polls = listPolls();
        Await.until(Duration.ofSeconds(30), () -> "three more polls", () -> listPolls() >= polls + 3);
        assertTrue(monitor.isAlive(), this::logs);

        List<AlertReceiver.Delivery> afterRestart = receiver.deliveries();
        assertTrue(afterRestart.stream().allMatch(AlertReceiver.Delivery::signatureValid), afterRestart::toString);
        assertTrue(afterRestart.stream().noneMatch(d -> d.id().equals(deliveredId) || d.jobId().equals(deliveredJob)),
                () -> "the alert delivered before the crash came again: " + afterRestart);
        assertEquals(queuedJobs, afterRestart.stream().map(AlertReceiver.Delivery::jobId).collect(Collectors.toSet()),
                "only the queued jobs' alerts arrive after the restart");
        assertEquals(queuedIds, afterRestart.stream().map(AlertReceiver.Delivery::id).collect(Collectors.toSet()),
                "with the ids they were queued under");
    }

    /**
     * Thirty SIGKILLs at random moments (seed printed) while jobs fail and their alerts go out; then one
     * last run that is left to finish. No failure may go unannounced, and every delivery of one job's
     * alert carries the same notice id and body: a re-send after a kill is the same notice, which a
     * receiver drops by {@code webhook-id}. Bounded: each run is killed at most 1.5 s after it is ready.
     */
    @Test
    void thirtyRandomKillsLoseNoAlertAndNeverRepeatOneUnderANewId() throws Exception {
        int kills = 30;
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println("random kills: seed " + seed);
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < kills; i++) {
            jobs.add(queuedJob(simulator));
        }
        // A first run that saves the cluster's first poll: the jobs failing later are news, not history.
        monitor = startMonitor("first");
        Await.until(Duration.ofSeconds(30), () -> "the first poll saved" + logs(),
                () -> !StateDb.clusters(statePath).isEmpty());
        assertTrue(monitor.destroyForcibly().waitFor(10, TimeUnit.SECONDS));
        for (int run = 0; run < kills; run++) {
            monitor = startMonitor("kill-" + run);
            Process current = monitor;
            String name = "run " + run;
            Await.until(Duration.ofSeconds(30), () -> name + " ready",
                    () -> current.isAlive() && status(monitorUrl.resolve("-/ready")) == 200);
            setState(simulator, jobs.get(run), "Failed");
            Thread.sleep(random.nextInt(1_500));
            assertTrue(monitor.destroyForcibly().waitFor(10, TimeUnit.SECONDS), "run " + run + " was killed");
        }
        monitor = startMonitor("last");
        Set<String> failed = Set.copyOf(jobs);
        Await.until(Duration.ofSeconds(60), () -> "every failure announced after " + kills + " kills; got "
                        + failedJobsAnnounced() + " of " + failed.size(),
                () -> failedJobsAnnounced().containsAll(failed) && savedOutbox().isEmpty());

        Map<String, Set<String>> idsByJob = new HashMap<>();
        Map<String, Set<String>> bodiesByJob = new HashMap<>();
        int deliveries = 0;
        for (AlertReceiver.Delivery delivery : receiver.accepted()) {
            if (delivery.alertname().equals("AtlasExportJobFailed")) {
                idsByJob.computeIfAbsent(delivery.jobId(), job -> new HashSet<>()).add(delivery.id());
                bodiesByJob.computeIfAbsent(delivery.jobId(), job -> new HashSet<>()).add(delivery.body().toString());
                deliveries++;
            }
        }
        System.out.printf("random kills: %d kills, %d failures, %d deliveries of their alerts (%d re-sent)%n",
                kills, failed.size(), deliveries, deliveries - failed.size());
        idsByJob.forEach((job, ids) -> assertEquals(1, ids.size(), () -> job + " alerted under several ids: " + ids));
        bodiesByJob.forEach((job, bodies) -> assertEquals(1, bodies.size(), () -> job + " re-sent with another body"));
        assertTrue(deliveries - failed.size() <= kills, "a re-send needs a kill between a delivery and its record");
    }

    private Set<String> failedJobsAnnounced() {
        return receiver.accepted().stream()
                .filter(delivery -> delivery.alertname().equals("AtlasExportJobFailed"))
                .map(AlertReceiver.Delivery::jobId)
                .collect(Collectors.toSet());
    }
}
