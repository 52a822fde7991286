package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.AtlasClients;
import io.github.atlasexport.atlas.Credentials;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.atlas.RetryPolicy;
import io.github.atlasexport.config.ConfigDefaults;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.simulator.Fault;
import io.github.atlasexport.simulator.JobPlan;
import io.github.atlasexport.simulator.Scenario;
import io.github.atlasexport.testing.Commands;
import io.github.atlasexport.testing.Promtool;
import io.github.atlasexport.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import static io.github.atlasexport.testing.SimWorld.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole monitor in-process ({@link MonitorRuntime}) against the real simulator, read over real
 * HTTP: jobs driven through every state, exact metric values, a cluster going down and up, a
 * restart on the same state file, and the exposition checked by the real promtool.
 */
class MonitorIntegrationTests {
    /** A failing cluster is reported after one quick retry, not after the default ~20 s of backoff. */
    static final RetryPolicy FAST_RETRIES = new RetryPolicy(1, Duration.ofMillis(20), Duration.ofMillis(20), 0,
            Duration.ofSeconds(1));

    static final String JOB_STATE = "atlas_export_job_state";
    static final String JOBS = "atlas_export_jobs";
    static final String TRANSITIONS = "atlas_export_transitions_total";
    static final String UP = "atlas_export_target_up";

    private final ObjectMapper json = new ObjectMapper();
    private AtlasSimulator sim;
    private MonitorRuntime monitor;

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void jobsDrivenThroughEveryStateShowExactlyInMetricsApiAndStatusPage(@TempDir Path dir) throws Exception {
        sim = AtlasSimulator.start("127.0.0.1", 0, scenario());
        String a = sim.addJob(SHOP, ORDERS, WAITS_QUEUED);
        String b = sim.addJob(SHOP, ORDERS, WAITS_QUEUED);
        String c = sim.addJob(SHOP, ORDERS, WAITS_QUEUED);
        String d = sim.addJob(SHOP, LEDGER, WAITS_QUEUED);
        ExportJob old = reportsJob();
        // Every answer takes 1.5 s for now, so no poll can have finished when readiness is first asked.
        sim.setFaults(List.of(Fault.latency(Duration.ofMillis(1500))));
        monitor = MonitorRuntime.start(config(dir, List.of(ORDERS, LEDGER)), FAST_RETRIES);

        assertEquals(503, get("/-/ready").status());
        assertEquals(200, get("/-/healthy").status());
        sim.clearFaults();
        Http.await("readiness", Http.get(monitor.url() + "-/ready", "*/*"), r -> r.status() == 200);
        awaitMetrics("every job seen once", m -> transitions(m) == 5);

        assertEquals("InProgress", control(ORDERS, a, "InProgress").get("state").asText());
        awaitMetrics("job a InProgress", m -> "InProgress".equals(stateOf(m, SHOP, ORDERS, a)));
        Instant aFinished = Instant.parse(control(ORDERS, a, "Successful").get("finishedAt").asText());
        Instant bFinished = Instant.parse(control(ORDERS, b, "Failed").get("finishedAt").asText());
        sim.setJobState(SHOP, ORDERS, c, "Cancelled", null);
        sim.setJobState(SHOP, LEDGER, d, "Paused", null);
        PromText m = awaitMetrics("every job in its final state", x -> transitions(x) == 10
                && "Paused".equals(stateOf(x, SHOP, LEDGER, d)) && "Cancelled".equals(stateOf(x, SHOP, ORDERS, c)));

        assertEquals(stateSet("Successful"), m.byLabel(JOB_STATE, "state", job(SHOP, ORDERS, a)));
        assertEquals(stateSet("Failed"), m.byLabel(JOB_STATE, "state", job(SHOP, ORDERS, b)));
        assertEquals(stateSet("Cancelled"), m.byLabel(JOB_STATE, "state", job(SHOP, ORDERS, c)));
        assertEquals(stateSet("Paused"), m.byLabel(JOB_STATE, "state", job(SHOP, LEDGER, d)), "unknown state tracked");
        assertEquals(stateSet("Successful"), m.byLabel(JOB_STATE, "state", job(INSIGHTS, REPORTS, old.id())));

        assertEquals(counts(Map.of("Successful", 1.0, "Failed", 1.0, "Cancelled", 1.0)),
                m.byLabel(JOBS, "state", cluster(SHOP, ORDERS)));
        assertEquals(counts(Map.of("Paused", 1.0)), m.byLabel(JOBS, "state", cluster(SHOP, LEDGER)));
        assertEquals(counts(Map.of("Successful", 1.0)), m.byLabel(JOBS, "state", cluster(INSIGHTS, REPORTS)));

        assertEquals(Map.of(
                transition(SHOP, ORDERS, "none", "Queued"), 3.0,
                transition(SHOP, ORDERS, "Queued", "InProgress"), 1.0,
                transition(SHOP, ORDERS, "InProgress", "Successful"), 1.0,
                transition(SHOP, ORDERS, "Queued", "Failed"), 1.0,
                transition(SHOP, ORDERS, "Queued", "Cancelled"), 1.0,
                transition(SHOP, LEDGER, "none", "Queued"), 1.0,
                transition(SHOP, LEDGER, "Queued", "Paused"), 1.0,
                transition(INSIGHTS, REPORTS, "none", "Successful"), 1.0), m.series(TRANSITIONS));

        assertEquals(seconds(aFinished), m.value("atlas_export_last_success_timestamp_seconds", cluster(SHOP, ORDERS)));
        assertEquals(seconds(old.finishedAt()), m.value("atlas_export_last_success_timestamp_seconds", cluster(INSIGHTS, REPORTS)));
        assertNull(m.value("atlas_export_last_success_timestamp_seconds", cluster(SHOP, LEDGER)));
        assertEquals(seconds(bFinished), m.value("atlas_export_last_failure_timestamp_seconds", cluster(SHOP, ORDERS)));
        assertEquals(seconds(aFinished), m.value("atlas_export_job_finished_timestamp_seconds", job(SHOP, ORDERS, a)));
        // Durations of the jobs seen to finish; the one that had finished before the monitor started is not one.
        assertEquals(Map.of("Cancelled", 1.0, "Failed", 1.0, "Successful", 1.0),
                m.byLabel("atlas_export_job_duration_seconds_count", "state", cluster(SHOP, ORDERS)));
        assertEquals(3, m.series("atlas_export_job_duration_seconds_count").size());
        assertEquals(10.0, m.value("atlas_export_job_exported_collections", job(SHOP, ORDERS, a)));
        assertEquals(Map.of(cluster(SHOP, ORDERS), 1.0, cluster(SHOP, LEDGER), 1.0, cluster(INSIGHTS, REPORTS), 1.0),
                m.series(UP));

        sim.setFaults(List.of(Fault.error(500).forCluster(SHOP, LEDGER)));
        PromText down = awaitMetrics("Ledger down", x -> Double.valueOf(0).equals(x.value(UP, cluster(SHOP, LEDGER))));
        assertEquals(1.0, down.value(UP, cluster(SHOP, ORDERS)));
        assertEquals(1.0, down.value(UP, cluster(INSIGHTS, REPORTS)));
        assertEquals(stateSet("Paused"), down.byLabel(JOB_STATE, "state", job(SHOP, LEDGER, d)),
                "a failed poll keeps the last known jobs");
        assertTrue(get("/").body().contains("class=\"down\""), "status page shows the cluster down");
        sim.clearFaults();
        awaitMetrics("Ledger up again", x -> Double.valueOf(1).equals(x.value(UP, cluster(SHOP, LEDGER))));

        assertJobsDocument(a, d, old.id());
        Http.Response page = get("/");
        assertEquals(200, page.status());
        assertTrue(page.contentType().startsWith("text/html"), page.contentType());
        for (String text : List.of(ORDERS, LEDGER, REPORTS, SHOP, INSIGHTS, a, "Paused")) {
            assertTrue(page.body().contains(text), "status page lacks " + text);
        }
        Http.Response open = Http.get(monitor.url() + "metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                .block(Http.TIMEOUT);
        assertTrue(open.contentType().startsWith("application/openmetrics-text"), open.contentType());
        assertTrue(open.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        // OpenMetrics names an info family without its _info suffix; the samples keep it.
        assertTrue(open.body().contains("# TYPE atlas_export_job info"), "info metric kept as such");
        assertTrue(open.body().contains("atlas_export_job_info{"), "info samples");
        Http.Response text = get("/metrics");
        assertTrue(text.contentType().startsWith("text/plain; version=0.0.4"), text.contentType());
        assertFalse(text.body().contains("# EOF"));
    }

    private void assertJobsDocument(String succeeded, String paused, String old) throws IOException {
        Http.Response response = get("/api/v1/jobs");
        assertEquals(200, response.status());
        assertTrue(response.contentType().startsWith("application/json"), response.contentType());
        Map<String, JsonNode> jobs = new HashMap<>();
        json.readTree(response.body()).get("jobs").forEach(node -> jobs.put(node.get("job").asText(), node));
        assertEquals(5, jobs.size(), response.body());
        JsonNode a = jobs.get(succeeded);
        assertEquals(SHOP, a.get("group_id").asText());
        assertEquals(ORDERS, a.get("cluster_name").asText());
        assertEquals("Successful", a.get("state").asText());
        Instant since = Instant.parse(a.get("since").asText());
        assertTrue(since.isAfter(Instant.now().minusSeconds(60)) && !since.isAfter(Instant.now()), "since " + since);
        assertEquals(10, a.get("progress").get("exported_collections").asInt());
        assertEquals(10, a.get("progress").get("total_collections").asInt());
        JsonNode d = jobs.get(paused);
        assertEquals(LEDGER, d.get("cluster_name").asText());
        assertEquals("Paused", d.get("state").asText());
        assertTrue(d.get("progress").isNull(), "a sharded job has no exportStatus");
        assertEquals(INSIGHTS, jobs.get(old).get("group_id").asText());
    }

    @Test
    void aRestartOnTheSameStateFileCountsOnlyWhatChangedWhileDown(@TempDir Path dir) {
        sim = AtlasSimulator.start("127.0.0.1", 0, scenario());
        String running = sim.addJob(SHOP, ORDERS, JobPlan.ending(JobPlan.Outcome.HANG, Duration.ZERO, Duration.ofHours(1), 10));
        String queued = sim.addJob(SHOP, LEDGER, WAITS_QUEUED);
        MonitorConfig config = config(dir, List.of(ORDERS, LEDGER));
        monitor = MonitorRuntime.start(config, FAST_RETRIES);
        PromText before = awaitMetrics("first polls", m -> transitions(m) == 3);
        assertEquals("InProgress", stateOf(before, SHOP, ORDERS, running));
        monitor.close();
        monitor = null;

        sim.setJobState(SHOP, ORDERS, running, "Failed", "disk full");
        monitor = MonitorRuntime.start(config, FAST_RETRIES);
        Http.await("readiness", Http.get(monitor.url() + "-/ready", "*/*"), r -> r.status() == 200);
        PromText after = awaitMetrics("the change made while down", m -> transitions(m) == 1);

        assertEquals(Map.of(transition(SHOP, ORDERS, "InProgress", "Failed"), 1.0), after.series(TRANSITIONS),
                "no job known before the restart is new again");
        assertEquals(stateSet("Failed"), after.byLabel(JOB_STATE, "state", job(SHOP, ORDERS, running)));
        for (Map<String, String> cluster : List.of(cluster(SHOP, LEDGER), cluster(INSIGHTS, REPORTS))) {
            assertEquals(before.byLabel(JOBS, "state", cluster), after.byLabel(JOBS, "state", cluster));
            assertEquals(before.byLabel("atlas_export_job_state_since_timestamp_seconds", "job_id", cluster),
                    after.byLabel("atlas_export_job_state_since_timestamp_seconds", "job_id", cluster),
                    "when each state was first seen survives the restart");
        }
        assertEquals(stateSet("Queued"), after.byLabel(JOB_STATE, "state", job(SHOP, LEDGER, queued)));
    }

    @Test
    void clustersGoneWhileDownAreNotShownAfterARestart(@TempDir Path dir) {
        sim = AtlasSimulator.start("127.0.0.1", 0, scenario());
        String ledgerJob = sim.addJob(SHOP, LEDGER, WAITS_QUEUED);
        monitor = MonitorRuntime.start(config(dir, List.of(ORDERS, LEDGER)), FAST_RETRIES);
        awaitMetrics("first polls", m -> transitions(m) == 2);
        monitor.close();
        monitor = null;
        sim.close();

        // While down: Ledger is taken out of the config, and Insights' only cluster is replaced.
        sim = AtlasSimulator.start("127.0.0.1", 0, scenario().withProjects(List.of(scenario().projects().get(0),
                new Scenario.ProjectSpec(INSIGHTS, "Insights", null,
                        List.of(Scenario.ClusterSpec.replicaSet("Archive", List.of(), null))))));
        monitor = MonitorRuntime.start(config(dir, List.of(ORDERS)), FAST_RETRIES);
        Http.await("readiness", Http.get(monitor.url() + "-/ready", "*/*"), r -> r.status() == 200);
        PromText m = awaitMetrics("Archive polled", x -> x.value(UP, cluster(INSIGHTS, "Archive")) != null);

        assertEquals(Set.of(cluster(SHOP, ORDERS), cluster(INSIGHTS, "Archive")), m.series(UP).keySet());
        assertFalse(get("/api/v1/jobs").body().contains(ledgerJob), "jobs of a cluster no longer monitored");
        String page = get("/").body();
        assertFalse(page.contains(LEDGER), "status page lists a cluster taken out of the config");
        assertFalse(page.contains(REPORTS), "status page lists a cluster that no longer exists");
    }

    @Test
    void metricsOfTheRunningMonitorPassPromtool(@TempDir Path dir) throws Exception {
        sim = AtlasSimulator.start("127.0.0.1", 0, scenario());
        String paused = sim.addJob(SHOP, LEDGER, WAITS_QUEUED);
        String failed = sim.addJob(SHOP, ORDERS, WAITS_QUEUED);
        sim.setJobState(SHOP, LEDGER, paused, "Paused", null);
        monitor = MonitorRuntime.start(config(dir, List.of(ORDERS, LEDGER)), FAST_RETRIES);
        awaitMetrics("first polls", m -> transitions(m) == 3);
        sim.setJobState(SHOP, ORDERS, failed, "Failed", null);
        sim.setFaults(List.of(Fault.error(503).forCluster(INSIGHTS, REPORTS)));
        PromText m = awaitMetrics("a failure and a cluster down", x -> transitions(x) == 4
                && Double.valueOf(0).equals(x.value(UP, cluster(INSIGHTS, REPORTS))));
        assertEquals(1.0, m.value("atlas_export_api_requests_total", Map.of("method", "GET",
                "endpoint", "/groups/{groupId}/clusters", "status", "200")), m.toString());

        Path file = dir.resolve("metrics.prom");
        Files.writeString(file, m.text());
        Promtool.assertMetricsPass(file);
    }

    @Test
    void aWebConfigPutsTheRunningMonitorBehindTlsAndBasicAuthAndCountsRefusals(@TempDir Path dir) throws Exception {
        sim = AtlasSimulator.start("127.0.0.1", 0, scenario());
        TestPki pki = TestPki.create(dir, "ca");
        pki.server("server");
        Path web = Files.writeString(dir.resolve("web.yml"), """
                tls_server_config: {cert_file: server.crt, key_file: server.key}
                basic_auth_users: {prometheus: '%s'}
                """.formatted(Commands.htpasswd(dir, "prometheus", "scrape-pass")));
        MonitorConfig plain = config(dir, List.of(ORDERS));
        monitor = MonitorRuntime.start(plain.withServer(plain.server().withWebConfigFile(web)), FAST_RETRIES);
        String metrics = "https://127.0.0.1:" + monitor.port() + "/metrics";
        assertTrue(monitor.url().startsWith("https://"), monitor.url());

        assertEquals("401", Commands.ok(dir, "curl", "-sS", "--cacert", pki.caCert().toString(), "-o", "/dev/null",
                "-w", "%{http_code}", "-u", "prometheus:wrong", metrics));
        String scrape = Commands.ok(dir, "curl", "-sS", "--fail", "--cacert", pki.caCert().toString(),
                "-u", "prometheus:scrape-pass", metrics);

        assertEquals(1.0, PromText.parse(scrape).value("atlas_export_http_auth_failures_total", Map.of()), scrape);
    }

    /** Polls every 200 ms (100 ms while a job is active); Insights has {@code clusters: "*"}. */
    private MonitorConfig config(Path dir, List<String> shopClusters) {
        MonitorConfig.Poll poll = new MonitorConfig.Poll(Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofDays(7));
        MonitorConfig.Stuck stuck = ConfigDefaults.STUCK;
        MonitorConfig.Alerts alerts = new MonitorConfig.Alerts(ConfigDefaults.FAILED, ConfigDefaults.CANCELLED, stuck,
                ConfigDefaults.NO_RECENT_SUCCESS, ConfigDefaults.TARGET_DOWN, List.of());
        return new MonitorConfig(
                new MonitorConfig.Atlas(URI.create(sim.baseUrl()), ApiVersion.V2, KEY, Duration.ofSeconds(5), 8, 100_000),
                List.of(new MonitorConfig.Target(SHOP, shopClusters, poll, stuck),
                        new MonitorConfig.Target(INSIGHTS, List.of(), poll, stuck)),
                poll, alerts, new MonitorConfig.Server("127.0.0.1", 0), new MonitorConfig.State(dir.resolve("state.db")));
    }

    private ExportJob reportsJob() {
        try (AtlasClient client = AtlasClients.create(AtlasClientOptions.create(URI.create(sim.baseUrl()), KEY))) {
            return client.listExportJobs(INSIGHTS, REPORTS).blockLast(Http.TIMEOUT);
        }
    }

    /** Forces a state through the simulator's HTTP control API; answers the job as Atlas now shows it. */
    private JsonNode control(String clusterName, String jobId, String state) throws IOException {
        Http.Response response = Http.put(sim.baseUrl() + "/__sim/jobs/" + SHOP + "/" + clusterName + "/" + jobId + "/state",
                json.createObjectNode().put("state", state).toString());
        assertEquals(200, response.status(), response.body());
        return json.readTree(response.body());
    }

    private Http.Response get(String path) {
        return Http.get(monitor.url() + path.substring(1));
    }

    private PromText awaitMetrics(String what, Predicate<PromText> done) {
        Mono<PromText> scrape = Http.get(monitor.url() + "metrics", "text/plain")
                .map(response -> {
                    assertEquals(200, response.status(), response.body());
                    return PromText.parse(response.body());
                });
        return Http.await(what, scrape, done);
    }

    /** Sum of every transition counter. */
    static double transitions(PromText m) {
        return m.series(TRANSITIONS).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The state whose series is 1 for the job, or null. */
    static String stateOf(PromText m, String group, String clusterName, String jobId) {
        return m.byLabel(JOB_STATE, "state", job(group, clusterName, jobId)).entrySet().stream()
                .filter(e -> e.getValue() == 1.0)
                .map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    /** A job's state set: 1 for {@code current}, 0 for every documented state. */
    static Map<String, Double> stateSet(String current) {
        return counts(Map.of(current, 1.0));
    }

    /** Every documented state at 0, plus {@code present}. */
    static Map<String, Double> counts(Map<String, Double> present) {
        Map<String, Double> out = new TreeMap<>();
        ExportState.DOCUMENTED.forEach(state -> out.put(state, 0.0));
        out.putAll(present);
        return out;
    }

    static Map<String, String> cluster(String group, String clusterName) {
        return Map.of("group_id", group, "cluster_name", clusterName);
    }

    static Map<String, String> job(String group, String clusterName, String jobId) {
        return Map.of("group_id", group, "cluster_name", clusterName, "job_id", jobId);
    }

    static Map<String, String> transition(String group, String clusterName, String from, String to) {
        return new TreeMap<>(Map.of("group_id", group, "cluster_name", clusterName, "from", from, "to", to));
    }

    static double seconds(Instant at) {
        return at.getEpochSecond() + at.getNano() / 1e9;
    }
}
