package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.config.ConfigLoader;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.simulator.Scenario;
import io.github.atlasexport.testing.Await;
import io.github.atlasexport.testing.LocalPrometheus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitor's own alerting and the shipped Prometheus rules, on one history, fire for the same
 * (alertname, job or cluster). The simulator plays {@code parity/scenario.yaml}; the test makes jobs end
 * while the monitor watches through {@code /__sim/}; the monitor ({@code parity/monitor.yaml}) sends its
 * alerts to a webhook receiver; a real Prometheus scrapes it every second and evaluates
 * {@code deploy/prometheus/atlas-export-rules.yml} with one documented change, {@code for: 10m} of
 * AtlasExportTargetDown (polls and discovery) made {@code for: 1s} (the monitor's targetDown is 1s here too).
 * Every other expression and threshold is the shipped one.
 */
class AlertParityIntegrationTests {

    static final Path RULES = Path.of("deploy", "prometheus", "atlas-export-rules.yml");
    static final String SHOP = "65e2e0000000000000000011";
    static final Duration PATIENCE = Duration.ofSeconds(40);
    /** Prometheus evaluates every second: a few more rounds catch an alert that one side fires late. */
    static final Duration SETTLE = Duration.ofSeconds(4);

    private AtlasSimulator simulator;
    private AlertReceiver hook;
    private MonitorRuntime monitor;
    private LocalPrometheus prometheus;

    @AfterEach
    void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.close();
        }
        if (monitor != null) {
            monitor.close();
        }
        if (hook != null) {
            hook.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void theMonitorAndTheShippedRulesFireTheSameAlerts(@TempDir Path dir) throws Exception {
        simulator = AtlasSimulator.start("127.0.0.1", 0, Scenario.parse(resource("parity/scenario.yaml"), "parity/scenario.yaml"));
        hook = AlertReceiver.alwaysOk();
        Map<String, String> env = Map.of("SIM_URL", simulator.baseUrl(), "HOOK_URL", hook.url().toString(),
                "HOOK_SECRET", AlertReceiver.SECRET, "STATE_PATH", dir.resolve("state.json").toString());
        monitor = MonitorRuntime.start(ConfigLoader.load(resource("parity/monitor.yaml"), "parity/monitor.yaml", env::get));
        prometheus = LocalPrometheus.start(Files.createDirectory(dir.resolve("prometheus")), "atlas-export-monitor",
                "127.0.0.1:" + monitor.port(), testCopyOfRules(dir));

        // Jobs that end while the monitor watches: added after its first poll of Cluster0.
        Await.until(PATIENCE, () -> "the monitor's first poll of Cluster0", () -> !jobsOf("Cluster0").isEmpty());
        String failing = addJob("{\"queuedFor\": \"0s\", \"outcome\": \"Hang\"}");
        String cancelling = addJob("{\"queuedFor\": \"0s\", \"outcome\": \"Hang\"}");
        Await.until(PATIENCE, () -> "the monitor to see both jobs InProgress: " + jobsOf("Cluster0"),
                () -> "InProgress".equals(jobsOf("Cluster0").get(failing)) && "InProgress".equals(jobsOf("Cluster0").get(cancelling)));
        setState(failing, "Failed");
        setState(cancelling, "Cancelled");
        // Fails between two polls: the monitor's first sight of it is already Failed, after its first poll.
        String fastFailing = addJob("{\"queuedFor\": \"0s\", \"runFor\": \"0s\", \"outcome\": \"Failed\"}");

        Set<String> expected = new TreeSet<>(Set.of(
                "AtlasExportJobFailed job_id=" + failing,
                "AtlasExportJobFailed job_id=" + fastFailing,
                "AtlasExportJobCancelled job_id=" + cancelling,
                "AtlasExportJobStuck job_id=" + oldestIn("Hung", "InProgress"),
                "AtlasExportJobStuck job_id=" + oldestIn("Hung", "Queued"),  // 2h; the other one waits 10m
                "AtlasExportNoRecentSuccess cluster_name=Legacy",
                "AtlasExportNoRecentSuccess cluster_name=Dormant",
                "AtlasExportTargetDown cluster_name=Retired",
                "AtlasExportNoRecentSuccess cluster_name=Lapsed",
                "AtlasExportOverdue cluster_name=Lapsed",
                "AtlasExportBucketFailing cluster_name="));  // a bucket's alert names no cluster
        AtomicReference<Set<String>> fromPrometheus = new AtomicReference<>(Set.of());
        Await.until(PATIENCE, () -> "both to fire " + expected + "; monitor: " + monitorFired()
                        + "; Prometheus: " + fromPrometheus.get() + "\nPrometheus log:\n" + prometheus.log(),
                () -> monitorFired().containsAll(expected)
                        && fromPrometheus.updateAndGet(last -> prometheusFired()).containsAll(expected));
        Thread.sleep(SETTLE.toMillis());
        Set<String> monitorSet = monitorFired();
        Set<String> prometheusSet = prometheusFired();

        System.out.println("monitor fired:    " + monitorSet);
        System.out.println("Prometheus fired: " + prometheusSet);
        assertEquals(expected, monitorSet, "the monitor's alerts");
        assertEquals(monitorSet, prometheusSet, "Prometheus with the shipped rules against the monitor");
        for (AlertReceiver.Delivery delivery : hook.accepted()) {
            String summary = delivery.body().path("annotations").path("summary").asText();
            String group = delivery.body().path("labels").path("group_id").asText();
            String project = (SHOP.equals(group) ? "Shop" : "Archive") + " (" + group + ")";
            assertTrue(summary.contains(" project " + project) && summary.contains(delivery.jobId()),
                    "the summary names the project, with its name, and the full job id: " + summary);
        }
        System.out.println("checked: the monitor and the shipped rules fired the same " + monitorSet.size()
                + " alerts; neither for the jobs already Failed or Cancelled before the monitor started,"
                + " both for jobs failed or cancelled while watched and for jobs first seen waiting for hours;"
                + " every summary the monitor sent names the project and the full job id");
    }

    /** The shipped rules with the {@code for: 10m} of AtlasExportTargetDown (polls, discovery) shortened to 1s; nothing else differs. */
    private static Path testCopyOfRules(Path dir) throws IOException {
        String shipped = Files.readString(RULES);
        String shortened = shipped.replace("for: 10m", "for: 1s");
        assertEquals(1, (shipped.length() - shipped.replace("for: 10m", "").length()) / "for: 10m".length(),
                "the shipped rules should hold one `for: 10m` (AtlasExportTargetDown of polls and of discovery)");
        Path copy = dir.resolve("atlas-export-rules.yml");
        Files.writeString(copy, shortened);
        return copy;
    }

    /** alertname and job_id (job alerts) or cluster_name of every firing notice the webhook accepted. */
    private Set<String> monitorFired() {
        Set<String> fired = new TreeSet<>();
        for (AlertReceiver.Delivery delivery : hook.accepted()) {
            if ("firing".equals(delivery.alertStatus())) {
                fired.add(key(delivery.alertname(), delivery.body().path("labels")));
            }
        }
        return fired;
    }

    /** The same for every alert Prometheus held firing during the run. */
    private Set<String> prometheusFired() {
        try {
            JsonNode result = prometheus.query("last_over_time(ALERTS{alertstate=\"firing\"}[10m])");
            Set<String> fired = new TreeSet<>();
            if (result != null) {
                result.forEach(series -> fired.add(key(series.path("metric").path("alertname").asText(), series.path("metric"))));
            }
            return fired;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String key(String alertname, JsonNode labels) {
        return labels.has("job_id") ? alertname + " job_id=" + labels.path("job_id").asText()
                : alertname + " cluster_name=" + labels.path("cluster_name").asText();
    }

    /** Job id to state, as the monitor lists the cluster's jobs. */
    private Map<String, String> jobsOf(String cluster) {
        Map<String, String> jobs = new LinkedHashMap<>();
        listed(cluster).forEach(job -> jobs.put(job.path("job").asText(), job.path("state").asText()));
        return jobs;
    }

    /** The id of the cluster's job in {@code state} created longest ago. */
    private String oldestIn(String cluster, String state) {
        return listed(cluster).stream()
                .filter(job -> state.equals(job.path("state").asText()))
                .min(Comparator.comparing(job -> Instant.parse(job.path("created_at").asText())))
                .map(job -> job.path("job").asText())
                .orElseThrow(() -> new AssertionError("no " + state + " job in " + jobsOf(cluster)));
    }

    private List<JsonNode> listed(String cluster) {
        try {
            List<JsonNode> jobs = new ArrayList<>();
            for (JsonNode job : AlertsEndToEnd.JSON.readTree(Http.get(monitor.url() + "api/v1/jobs").body()).path("jobs")) {
                if (cluster.equals(job.path("cluster_name").asText())) {
                    jobs.add(job);
                }
            }
            return jobs;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private String addJob(String plan) {
        Http.Response response = Http.post(simulator.baseUrl() + "/__sim/jobs/" + SHOP + "/Cluster0", plan);
        assertEquals(200, response.status(), response.body());
        try {
            String id = AlertsEndToEnd.JSON.readTree(response.body()).path("id").asText();
            assertNotNull(id);
            assertTrue(!id.isEmpty(), response.body());
            return id;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void setState(String jobId, String state) {
        Http.Response response = Http.put(simulator.baseUrl() + "/__sim/jobs/" + SHOP + "/Cluster0/" + jobId + "/state",
                "{\"state\": \"" + state + "\"}");
        assertEquals(200, response.status(), response.body());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = AlertParityIntegrationTests.class.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, name + " not on the test classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
