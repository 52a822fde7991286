package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.testing.Await;
import io.github.atlasexport.testing.LocalAlertmanager;
import io.github.atlasexport.testing.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.github.atlasexport.runtime.AlertsEndToEnd.awaitMonitorSees;
import static io.github.atlasexport.runtime.AlertsEndToEnd.awaitReady;
import static io.github.atlasexport.runtime.AlertsEndToEnd.queuedJob;
import static io.github.atlasexport.runtime.AlertsEndToEnd.setState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two monitor replicas with the same config, each with its own state store, watching one simulated
 * cluster: the same alert from both is the same alert, so the peers downstream deduplicate it.
 */
class HighAvailabilityIntegrationTests {
    /** Long enough for a second, duplicate notification to show up if one were coming. */
    private static final Duration NO_DUPLICATE_WITHIN = LocalAlertmanager.PEER_TIMEOUT.multipliedBy(3);

    private final List<AutoCloseable> started = new ArrayList<>();
    private AtlasSimulator sim;

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void twoReplicasDeliverTheSameWebhookIdAndBodySoAReceiverThatDedupsByIdRecordsOne(@TempDir Path dir) {
        AlertReceiver receiver = started(AlertReceiver.alwaysOk());
        AlertReceiver pagerDuty = started(AlertReceiver.alwaysOk());
        sim = AlertsEndToEnd.simulator();
        List<MonitorConfig.Sink> sinks = List.of(AlertsEndToEnd.webhook(receiver.url(), AlertReceiver.SECRET),
                new MonitorConfig.Sink("pagerduty", pagerDuty.url(), null, "routing-key", null));
        MonitorRuntime one = replica(sinks, dir.resolve("one"));
        MonitorRuntime two = replica(sinks, dir.resolve("two"));

        // Queued, not InProgress: after 2 s InProgress a stuck alert would go to PagerDuty too.
        String job = queuedJob(sim);
        seenByBoth(job, "Queued", one, two);
        setState(sim, job, "Failed");

        Await.until(Duration.ofSeconds(20), () -> "a delivery from each replica: " + receiver.deliveries(),
                () -> failedDeliveries(receiver, job).size() >= 2);
        List<AlertReceiver.Delivery> deliveries = failedDeliveries(receiver, job);
        assertEquals(2, deliveries.size(), deliveries::toString);
        AlertReceiver.Delivery first = deliveries.get(0);
        AlertReceiver.Delivery second = deliveries.get(1);
        assertTrue(first.signatureValid() && second.signatureValid(), deliveries::toString);
        assertEquals(first.webhookId(), second.webhookId(), "the same webhook-id from both replicas");
        assertEquals(first.id(), first.webhookId());
        assertEquals(first.body(), second.body(), "the same body from both replicas");
        long recorded = deliveries.stream().map(AlertReceiver.Delivery::webhookId).distinct().count();
        System.out.printf("webhook deliveries of the failed job: %d, recorded by a receiver deduplicating by webhook-id: %d%n",
                deliveries.size(), recorded);
        assertEquals(1, recorded);

        Await.until(Duration.ofSeconds(20), () -> "a PagerDuty event from each replica: " + pagerDuty.deliveries(),
                () -> pagerDuty.deliveries().size() >= 2);
        List<String> dedupKeys = pagerDuty.deliveries().stream()
                .map(d -> d.body().path("dedup_key").asText()).toList();
        assertEquals(List.of("AtlasExportJobFailed/" + AlertsEndToEnd.GROUP + "/" + AlertsEndToEnd.CLUSTER + "/" + job,
                "AtlasExportJobFailed/" + AlertsEndToEnd.GROUP + "/" + AlertsEndToEnd.CLUSTER + "/" + job), dedupKeys);
        assertEquals(pagerDuty.deliveries().get(0).body(), pagerDuty.deliveries().get(1).body(),
                "the same PagerDuty event from both replicas");
    }

    @Test
    void anAlertmanagerClusterBehindTwoReplicasNotifiesOncePerFailedJobEvenWithAReplicaAndAPeerGone(@TempDir Path dir)
            throws Exception {
        AlertReceiver receiver = started(AlertReceiver.alwaysOk());
        // A gossip port is told in advance, and another process may take it before the peer binds it: then the
        // peer starts again on another. So a is told of no peer (b's port is not known yet); b joins a, a learns b.
        int[] gossipA = {0};
        LocalAlertmanager a = started(Ports.retryingTaken(port -> {
            gossipA[0] = port;
            return LocalAlertmanager.startPeer(dir.resolve("am-a"), receiver.url(), port, List.of());
        }));
        LocalAlertmanager b = started(Ports.retryingTaken(port ->
                LocalAlertmanager.startPeer(dir.resolve("am-b"), receiver.url(), port, List.of(gossipA[0]))));
        sim = AlertsEndToEnd.simulator();
        // Each replica sends to both peers, as Prometheus does: the sinks differ by port, so do their outboxes.
        List<MonitorConfig.Sink> sinks = List.of(
                new MonitorConfig.Sink("alertmanager", a.url(), null, null, null),
                new MonitorConfig.Sink("alertmanager", b.url(), null, null, null));
        MonitorRuntime one = replica(sinks, dir.resolve("one"));
        MonitorRuntime two = replica(sinks, dir.resolve("two"));

        // Queued, not InProgress: after 2 s InProgress a stuck alert would make a notification of its own.
        String first = queuedJob(sim);
        seenByBoth(first, "Queued", one, two);
        setState(sim, first, "Failed");
        int firstCount = notificationsAfterQuiet(receiver, first);

        two.close();
        started.remove(two);
        a.kill();
        String second = queuedJob(sim);
        awaitMonitorSees(URI.create(one.url()), second, "Queued");
        setState(sim, second, "Failed");
        int secondCount = notificationsAfterQuiet(receiver, second);

        System.out.printf("notifications behind the Alertmanager cluster: first failed job %d (2 replicas, 2 peers), "
                + "second failed job %d (1 replica, 1 peer after kill -9)%n", firstCount, secondCount);
        assertEquals(1, firstCount, () -> receiver.deliveries() + "\npeer a: " + a.log() + "\npeer b: " + b.log());
        assertEquals(1, secondCount, () -> receiver.deliveries() + "\npeer b: " + b.log());
    }

    private MonitorRuntime replica(List<MonitorConfig.Sink> sinks, Path dir) {
        MonitorRuntime monitor = started(MonitorRuntime.start(
                AlertsEndToEnd.config(sim, sinks, dir.resolve("state.db")), AlertsEndToEnd.FAST_RETRIES));
        awaitReady(URI.create(monitor.url()));
        return monitor;
    }

    private static void seenByBoth(String job, String state, MonitorRuntime one, MonitorRuntime two) {
        awaitMonitorSees(URI.create(one.url()), job, state);
        awaitMonitorSees(URI.create(two.url()), job, state);
    }

    private <T extends AutoCloseable> T started(T resource) {
        started.add(resource);
        return resource;
    }

    private static List<AlertReceiver.Delivery> failedDeliveries(AlertReceiver receiver, String job) {
        return receiver.deliveries().stream()
                .filter(d -> d.alertname().equals("AtlasExportJobFailed") && d.jobId().equals(job))
                .toList();
    }

    /**
     * Waits for Alertmanager's first notification naming the job, then as long again as a second peer
     * would take to send a duplicate; the number of notifications naming it by then.
     */
    private static int notificationsAfterQuiet(AlertReceiver receiver, String job) throws InterruptedException {
        Await.until(Duration.ofSeconds(30), () -> "a notification for job " + job + ": " + receiver.deliveries(),
                () -> notificationsNaming(receiver, job) > 0);
        Thread.sleep(NO_DUPLICATE_WITHIN.toMillis()); // nothing to wait for: a duplicate must NOT come
        return notificationsNaming(receiver, job);
    }

    /** Alertmanager's webhook body lists the alerts of the group: the notifications with the job's alert among them. */
    private static int notificationsNaming(AlertReceiver receiver, String job) {
        int count = 0;
        for (AlertReceiver.Delivery delivery : receiver.deliveries()) {
            for (JsonNode alert : delivery.body().path("alerts")) {
                if (job.equals(alert.path("labels").path("job_id").asText())) {
                    count++;
                    break;
                }
            }
        }
        return count;
    }
}
