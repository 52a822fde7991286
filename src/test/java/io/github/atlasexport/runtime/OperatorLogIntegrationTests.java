package io.github.atlasexport.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.config.ConfigDefaults;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.monitor.ExportMonitor;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.simulator.Fault;
import io.github.atlasexport.simulator.JobPlan;
import io.github.atlasexport.simulator.Scenario;
import io.github.atlasexport.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static io.github.atlasexport.testing.SimWorld.KEY;
import static io.github.atlasexport.testing.SimWorld.SHOP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the monitor logs for operators, captured from the running monitor ({@link MonitorRuntime}
 * against the simulator): a first poll is one line per cluster, a failing cluster is reported once
 * with Atlas's errorCode and a hint, and its recovery once.
 */
class OperatorLogIntegrationTests {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String FLEET = "Fleet";
    static final String SPARE = "Spare";

    private final Logger runtimeLog = (Logger) LoggerFactory.getLogger(MonitorRuntime.class);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Level levelBefore;
    private AtlasSimulator sim;
    private MonitorRuntime monitor;

    @BeforeEach
    void capture() {
        levelBefore = runtimeLog.getLevel();
        runtimeLog.setLevel(Level.DEBUG);
        captured.start();
        runtimeLog.addAppender(captured);
    }

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.close();
        }
        if (sim != null) {
            sim.close();
        }
        runtimeLog.detachAppender(captured);
        runtimeLog.setLevel(levelBefore);
    }

    @Test
    void aFirstPollOfFiftyJobsIsOneInfoLineWithTheJobsAsDebugDetail(@TempDir Path dir) {
        sim = AtlasSimulator.start("127.0.0.1", 0, fleetOfFifty());
        monitor = MonitorRuntime.start(config(dir, URI.create(sim.baseUrl()), List.of(FLEET, SPARE)), MonitorIntegrationTests.FAST_RETRIES);

        Await.until(WAIT, () -> "both first polls, saw " + tail(),
                () -> lines(Level.INFO).stream().filter(line -> line.contains("first poll")).count() == 2);

        List<String> fleetInfo = lines(Level.INFO).stream().filter(line -> line.contains(FLEET)).toList();
        assertEquals(List.of(FLEET + " in project Shop: first poll, 50 jobs (3 InProgress, 45 Successful, 2 Failed)"),
                fleetInfo);
        assertTrue(lines(Level.INFO).contains(SPARE + " in project Shop: first poll, 0 jobs"), lines(Level.INFO).toString());
        assertEquals(50, lines(Level.DEBUG).stream().filter(line -> line.contains(" known, ")).count(),
                "each job found by the first poll is debug detail");
    }

    @Test
    void aClusterThatStaysDownIsReportedOnceWithTheErrorCodeAndAHintAndItsRecoveryOnce(@TempDir Path dir) {
        sim = AtlasSimulator.start("127.0.0.1", 0, fleetOfFifty());
        monitor = MonitorRuntime.start(config(dir, URI.create(sim.baseUrl()), List.of(SPARE, "Misspelt")), MonitorIntegrationTests.FAST_RETRIES);

        Await.until(WAIT, () -> "several failed polls of Misspelt, saw " + tail(),
                () -> lines(null).stream().filter(line -> line.startsWith("Misspelt in project Shop")).count() >= 4);
        List<String> warnings = lines(Level.WARN);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("Misspelt in project Shop is down: "), warnings.get(0));
        assertTrue(warnings.get(0).contains("HTTP 404 CLUSTER_NOT_FOUND"), warnings.get(0));
        assertTrue(warnings.get(0).endsWith("(is the cluster name right?)"), warnings.get(0));

        sim.setFaults(List.of(Fault.error(500).forCluster(SHOP, SPARE)));
        Await.until(WAIT, () -> "Spare failing on, saw " + tail(),
                () -> lines(Level.DEBUG).stream().filter(line -> line.startsWith(SPARE + " in project Shop still down")).count() >= 2);
        sim.clearFaults();
        Await.until(WAIT, () -> "Spare back, saw " + tail(), () -> lines(Level.INFO).contains(SPARE + " in project Shop is up again"));
        Await.until(WAIT, () -> "Spare polled after its recovery", () -> lines(null).stream()
                .dropWhile(line -> !line.equals(SPARE + " in project Shop is up again")).count() > 2);

        List<String> spare = lines(null).stream().filter(line -> line.startsWith(SPARE + " in project Shop ")).toList();
        assertEquals(1, lines(Level.WARN).stream().filter(line -> line.startsWith(SPARE)).count(), spare.toString());
        assertTrue(lines(Level.WARN).stream().anyMatch(line -> line.startsWith(SPARE + " in project Shop is down: ")
                && line.contains("HTTP 500")), lines(Level.WARN).toString());
        assertEquals(1, lines(Level.INFO).stream().filter(line -> line.equals(SPARE + " in project Shop is up again")).count());
    }

    @Test
    void aProjectWhoseClustersCannotBeListedIsReportedOnceAndItsRecoveryOnce(@TempDir Path dir) {
        Logger monitorLog = (Logger) LoggerFactory.getLogger(ExportMonitor.class);
        monitorLog.addAppender(captured);
        try (FakeAtlas atlas = new FakeAtlas()) {
            atlas.failDiscovery(SHOP, true);
            monitor = MonitorRuntime.start(config(dir, atlas.baseUrl(), List.of()), MonitorIntegrationTests.FAST_RETRIES);
            String discovery = "cluster discovery of project " + SHOP;

            Await.until(WAIT, () -> "several failed discoveries, saw " + tail(), () -> lines(Level.DEBUG).stream()
                    .filter(line -> line.startsWith(discovery + " still down: ")).count() >= 2);
            List<String> warnings = lines(Level.WARN);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith(discovery + " is down: ") && warnings.get(0).contains("503 SERVICE_UNAVAILABLE"),
                    warnings.get(0));

            atlas.failDiscovery(SHOP, false);
            Await.until(WAIT, () -> "discovery back, saw " + tail(), () -> lines(Level.INFO).contains(discovery + " is up again"));
            monitor.close();
            monitor = null;
            assertEquals(1, lines(Level.WARN).size(), lines(Level.WARN).toString());
            assertEquals(1, lines(Level.INFO).stream().filter(line -> line.equals(discovery + " is up again")).count());
        } finally {
            monitorLog.detachAppender(captured);
        }
    }

    /** The latest few messages, to say what was seen when a wait fails. */
    private List<String> tail() {
        List<String> all = lines(null);
        return all.subList(Math.max(0, all.size() - 8), all.size());
    }

    /** Messages at {@code level}, or at every level for null, in the order they were logged. */
    private List<String> lines(Level level) {
        List<String> lines = new ArrayList<>();
        synchronized (captured) { // AppenderBase appends under its own lock
            for (ILoggingEvent event : captured.list) {
                if (level == null || event.getLevel() == level) {
                    lines.add(event.getFormattedMessage());
                }
            }
        }
        return lines;
    }

    /** Shop: Fleet, 50 jobs (3 running, 45 done, 2 failed); Spare, none. */
    private static Scenario fleetOfFifty() {
        Duration ago = Duration.ofMinutes(30);
        List<Scenario.JobSpec> jobs = new ArrayList<>();
        IntStream.range(0, 3).forEach(i -> jobs.add(Scenario.JobSpec.of(ago,
                JobPlan.ending(JobPlan.Outcome.HANG, Duration.ZERO, Duration.ZERO, 10))));
        IntStream.range(0, 45).forEach(i -> jobs.add(Scenario.JobSpec.of(ago,
                JobPlan.succeeding(Duration.ofSeconds(10), Duration.ofMinutes(5), 12))));
        IntStream.range(0, 2).forEach(i -> jobs.add(Scenario.JobSpec.of(ago,
                JobPlan.failing(Duration.ofSeconds(10), Duration.ofMinutes(5), 12, "bucket access denied"))));
        return new Scenario(List.of(new Scenario.ProjectSpec(SHOP, "Shop", null, List.of(
                Scenario.ClusterSpec.replicaSet(FLEET, jobs, null),
                Scenario.ClusterSpec.replicaSet(SPARE, List.of(), null)))),
                null, null, null, null, null, null);
    }

    /** Shop with {@code clusters}, or every cluster of Shop for an empty list. */
    private static MonitorConfig config(Path dir, URI atlas, List<String> clusters) {
        MonitorConfig.Poll poll = new MonitorConfig.Poll(Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofDays(7));
        MonitorConfig.Alerts alerts = new MonitorConfig.Alerts(ConfigDefaults.FAILED, ConfigDefaults.CANCELLED,
                ConfigDefaults.STUCK, ConfigDefaults.NO_RECENT_SUCCESS, ConfigDefaults.TARGET_DOWN, List.of());
        return new MonitorConfig(
                new MonitorConfig.Atlas(atlas, ApiVersion.V2, KEY, Duration.ofSeconds(5), 8, 100_000),
                List.of(new MonitorConfig.Target(SHOP, clusters, poll, ConfigDefaults.STUCK)),
                poll, alerts, new MonitorConfig.Server("127.0.0.1", 0), new MonitorConfig.State(dir.resolve("state.db")));
    }
}
