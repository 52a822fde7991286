package io.github.atlasexport.runtime;

import io.github.atlasexport.config.ConfigLoader;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.testing.Await;
import io.github.atlasexport.testing.Ports;
import io.github.atlasexport.testing.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.github.atlasexport.runtime.AlertsEndToEnd.CLUSTER;
import static io.github.atlasexport.runtime.AlertsEndToEnd.GROUP;
import static io.github.atlasexport.runtime.AlertsEndToEnd.QUIET_CLUSTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reloading the config: a bad one changes nothing but the gauge, a good one applies without losing state. */
class ReloadIntegrationTests {
    @TempDir
    Path dir;
    private AtlasSimulator simulator;
    private Path configFile;
    private int port;

    @BeforeEach
    void start() {
        simulator = AlertsEndToEnd.simulator();
        configFile = dir.resolve("config.yaml");
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private void writeConfig(String clusters, String pollInterval) throws IOException {
        Files.writeString(configFile, """
                atlas:
                  baseUrl: %s
                  auth:
                    digest: {publicKey: sim-public, privateKey: sim-private}
                targets:
                  - groupId: %s
                    clusters: [%s]
                poll:
                  interval: %s
                  activeInterval: 200ms
                server:
                  listen: 127.0.0.1:%d
                state:
                  path: %s
                """.formatted(simulator.baseUrl(), GROUP, clusters, pollInterval, port, dir.resolve("state.db")));
    }

    /**
     * A monitor on a port found free (a reload rebinds the configured one, so it cannot be port 0), written in
     * the config with {@code clusters} polled every 300ms; on another if some other process took it meanwhile.
     */
    private <T> T startOnFreePort(String clusters, Ports.Starter<T> start) throws IOException {
        return Ports.retryingTaken(free -> {
            port = free;
            writeConfig(clusters, "300ms");
            return start.start(free);
        });
    }

    private ReloadingMonitor startInProcess(boolean lifecycle) throws IOException {
        return startOnFreePort(CLUSTER, free -> ReloadingMonitor.start(() -> ConfigLoader.load(configFile), lifecycle,
                failure -> { throw new AssertionError("no monitor left running", failure); }));
    }

    /** In process, where the next {@code failing} starts fail as a taken port would; {@code stopped} gets what stopped it. */
    private ReloadingMonitor startFailing(AtomicInteger failing, List<RuntimeException> stopped) throws IOException {
        ReloadingMonitor.Starter starter = (config, reloads) -> {
            if (failing.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new IllegalStateException("address in use (scripted)");
            }
            return MonitorRuntime.start(config, reloads);
        };
        return startOnFreePort(CLUSTER, free -> ReloadingMonitor.start(() -> ConfigLoader.load(configFile), false,
                starter, stopped::add, Duration.ofMillis(10)));
    }

    private String metrics() {
        return get("metrics");
    }

    private String jobs() {
        return get("api/v1/jobs");
    }

    /** The body, or "" while nothing listens (a monitor starting or restarting on a reload). */
    private String get(String path) {
        try {
            return Http.get("http://127.0.0.1:" + port + "/" + path).body();
        } catch (RuntimeException e) {
            return "";
        }
    }

    @Test
    void aBadConfigKeepsTheMonitorRunningAndAGoodOneAppliesFromTheSavedState() throws IOException {
        try (ReloadingMonitor monitor = startInProcess(false)) {
            Await.until(Duration.ofSeconds(20), () -> "the first poll of " + CLUSTER,
                    () -> jobs().contains(CLUSTER));
            assertTrue(metrics().contains("atlas_export_config_last_reload_successful 1.0"), this::metrics);

            writeConfig(CLUSTER, "nonsense");
            Reloads.Outcome refused = monitor.reload();
            assertFalse(refused.applied());
            assertTrue(refused.problems().stream().anyMatch(problem -> problem.contains("poll.interval")),
                    refused.problems()::toString);
            // /metrics may answer from a render of up to a second ago.
            Await.until(Duration.ofSeconds(20), () -> "the gauge at 0: " + metrics(),
                    () -> metrics().contains("atlas_export_config_last_reload_successful 0.0"));
            assertTrue(jobs().contains(CLUSTER), "the old config goes on");

            writeConfig(CLUSTER + ", " + QUIET_CLUSTER, "300ms");
            Reloads.Outcome applied = monitor.reload();
            assertEquals(new Reloads.Outcome(true, List.of()), applied);
            Await.until(Duration.ofSeconds(20), () -> "the reloaded monitor polling " + QUIET_CLUSTER + ": " + metrics(),
                    () -> metrics().contains("atlas_export_target_up{cluster_name=\"" + QUIET_CLUSTER + "\""));
            Await.until(Duration.ofSeconds(20), () -> "the gauge at 1: " + metrics(),
                    () -> metrics().contains("atlas_export_config_last_reload_successful 1.0"));
            String after = metrics();
            assertFalse(after.contains("atlas_export_transitions_total{cluster_name=\"" + CLUSTER + "\",from=\"none\""),
                    () -> "the jobs known before the reload are not seen anew: " + after);
        }
    }

    @Test
    void whenTheNewConfigCannotStartThePreviousOneIsStartedAgainUntilItDoes() throws IOException {
        AtomicInteger failing = new AtomicInteger();
        List<RuntimeException> stopped = new CopyOnWriteArrayList<>();
        try (ReloadingMonitor monitor = startFailing(failing, stopped)) {
            Await.until(Duration.ofSeconds(20), () -> "the first poll of " + CLUSTER, () -> jobs().contains(CLUSTER));
            failing.set(3); // the new config, then the previous one twice
            Reloads.Outcome outcome = monitor.reload();
            assertFalse(outcome.applied());
            assertTrue(outcome.problems().get(0).contains("address in use"), outcome.problems()::toString);
            assertEquals(List.of(), stopped);
            Await.until(Duration.ofSeconds(20), () -> "the previous config polling again: " + jobs(),
                    () -> jobs().contains(CLUSTER));
        }
    }

    @Test
    void aReloadThatCanStartNoMonitorSaysSoAndServesNothing() throws IOException {
        AtomicInteger failing = new AtomicInteger();
        List<RuntimeException> stopped = new CopyOnWriteArrayList<>();
        try (ReloadingMonitor monitor = startFailing(failing, stopped)) {
            Await.until(Duration.ofSeconds(20), () -> "the first poll of " + CLUSTER, () -> jobs().contains(CLUSTER));
            failing.set(1 + ReloadingMonitor.RESTARTS);
            assertFalse(monitor.reload().applied());
            assertEquals(1, stopped.size(), stopped::toString);
            assertTrue(stopped.get(0).getMessage().contains("address in use"), stopped.get(0)::toString);
            assertEquals("", metrics(), "nothing listens");

            assertTrue(monitor.reload().applied(), "a later reload starts a monitor again");
            Await.until(Duration.ofSeconds(20), () -> "polling again: " + jobs(), () -> jobs().contains(CLUSTER));
        }
    }

    @Test
    void postReloadAnswersTheProblemsOrReloadsOnlyWithTheLifecycleEnabled() throws IOException {
        try (ReloadingMonitor closed = startInProcess(false)) {
            assertEquals(404, Http.post("http://127.0.0.1:" + port + "/-/reload", "").status(),
                    "no lifecycle API without --web.enable-lifecycle");
        }
        try (ReloadingMonitor monitor = startInProcess(true)) {
            writeConfig(CLUSTER, "nonsense");
            Http.Response refused = Http.post("http://127.0.0.1:" + port + "/-/reload", "");
            assertEquals(500, refused.status());
            assertTrue(refused.body().contains("poll.interval"), refused.body());

            writeConfig(CLUSTER + ", " + QUIET_CLUSTER, "300ms");
            Http.Response accepted = Http.post("http://127.0.0.1:" + port + "/-/reload", "");
            assertEquals(200, accepted.status(), accepted.body());
            Await.until(Duration.ofSeconds(20), () -> "the reloaded monitor polling " + QUIET_CLUSTER,
                    () -> metrics().contains("atlas_export_target_up{cluster_name=\"" + QUIET_CLUSTER + "\"")
                            && metrics().contains("atlas_export_config_last_reload_successful 1.0"));
        }
    }

    @Test
    void sighupReloadsTheRunningJar() throws Exception {
        Path log = dir.resolve("monitor.log");
        Process monitor = startOnFreePort(CLUSTER, free -> {
            Process started = Processes.monitor(configFile, log);
            try {
                Processes.monitorUrl(started, log); // fails with the log ("address in use") if it could not listen
                return started;
            } catch (RuntimeException | Error e) {
                Processes.kill(started);
                throw e;
            }
        });
        try {
            Await.until(Duration.ofSeconds(30), () -> "the monitor polling " + CLUSTER,
                    () -> monitor.isAlive() && jobs().contains(CLUSTER));
            writeConfig(CLUSTER, "nonsense");
            hangUp(monitor);
            Await.until(Duration.ofSeconds(20), () -> "the bad config refused",
                    () -> metrics().contains("atlas_export_config_last_reload_successful 0.0"));
            writeConfig(CLUSTER + ", " + QUIET_CLUSTER, "300ms");
            hangUp(monitor);
            Await.until(Duration.ofSeconds(30), () -> "the good config applied",
                    () -> metrics().contains("atlas_export_config_last_reload_successful 1.0")
                            && metrics().contains("cluster_name=\"" + QUIET_CLUSTER + "\""));
            assertTrue(monitor.isAlive());
        } finally {
            monitor.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void hangUp(Process process) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor());
    }
}
