package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.alert.DeliveryOptions;
import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.config.ConfigDefaults;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.simulator.JobPlan;
import io.github.atlasexport.simulator.Scenario;
import io.github.atlasexport.testing.Await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The world of the alert end-to-end tests: one simulated project with a busy and a quiet cluster, a
 * monitor that polls one of them several times a second and calls an InProgress job stuck after two seconds, and the
 * helpers to drive jobs and wait for what follows. Every wait is bounded.
 */
final class AlertsEndToEnd {
    static final String GROUP = "6600000000000000000000e1";
    static final String CLUSTER = "Cluster0";
    /** A second cluster, never given jobs: a config can name it instead of {@link #CLUSTER}. */
    static final String QUIET_CLUSTER = "Quiet1";
    static final Duration STUCK_IN_PROGRESS = Duration.ofSeconds(2);
    /** Retries in milliseconds, so that a receiver's failures cost the suite little time. */
    static final DeliveryOptions FAST_RETRIES = new DeliveryOptions(Duration.ofMillis(50), Duration.ofMillis(400),
            0.5, Duration.ofSeconds(5), Duration.ofSeconds(5));
    static final ObjectMapper JSON = new ObjectMapper();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private AlertsEndToEnd() {
    }

    /** A replica-set cluster with one old successful job, so the first poll has something to baseline; and a quiet one. */
    static Scenario scenario() {
        return Scenario.parse("""
                projects:
                  - id: %s
                    name: alerts-e2e
                    clusters:
                      - name: %s
                        jobs:
                          - createdAgo: 1h
                            plan: {queuedFor: 1m, runFor: 5m, collections: 10}
                      - name: %s
                """.formatted(GROUP, CLUSTER, QUIET_CLUSTER), "alerts-e2e scenario");
    }

    static AtlasSimulator simulator() {
        return AtlasSimulator.start("127.0.0.1", 0, scenario());
    }

    /** Polls every 200-300ms; failed and cancelled jobs alert, InProgress is stuck after 2s, Queued never. */
    static MonitorConfig config(AtlasSimulator simulator, List<MonitorConfig.Sink> sinks, Path statePath) {
        return config(simulator, CLUSTER, sinks, statePath);
    }

    static MonitorConfig config(AtlasSimulator simulator, String cluster, List<MonitorConfig.Sink> sinks,
                                Path statePath) {
        MonitorConfig.Poll poll = new MonitorConfig.Poll(Duration.ofMillis(300), Duration.ofMillis(200),
                Duration.ofDays(7));
        MonitorConfig.Stuck stuck = new MonitorConfig.Stuck(STUCK_IN_PROGRESS, Duration.ofHours(1), "warning");
        MonitorConfig.Alerts alerts = new MonitorConfig.Alerts(ConfigDefaults.FAILED, ConfigDefaults.CANCELLED, stuck,
                ConfigDefaults.NO_RECENT_SUCCESS, ConfigDefaults.TARGET_DOWN, sinks);
        return new MonitorConfig(
                new MonitorConfig.Atlas(URI.create(simulator.baseUrl()), ApiVersion.V2, Demo.SIM_KEY,
                        Duration.ofSeconds(5), 8, 6000),
                List.of(new MonitorConfig.Target(GROUP, List.of(cluster), poll, stuck)), poll, alerts,
                new MonitorConfig.Server("127.0.0.1", 0), new MonitorConfig.State(statePath));
    }

    static MonitorConfig.Sink webhook(URI url, String secret) {
        return new MonitorConfig.Sink("webhook", url, secret, null, null);
    }

    /** A job that stays Queued until a test moves it. */
    static String queuedJob(AtlasSimulator simulator) {
        return simulator.addJob(GROUP, CLUSTER, JobPlan.ending(JobPlan.Outcome.HANG_QUEUED, Duration.ZERO,
                Duration.ZERO, 10));
    }

    /** A job that is InProgress at once and stays so until a test moves it. */
    static String runningJob(AtlasSimulator simulator) {
        return simulator.addJob(GROUP, CLUSTER, JobPlan.ending(JobPlan.Outcome.HANG, Duration.ZERO,
                Duration.ofHours(1), 10));
    }

    static void setState(AtlasSimulator simulator, String jobId, String state) {
        simulator.setJobState(GROUP, CLUSTER, jobId, state, null);
    }

    /** Waits until the monitor's {@code /api/v1/jobs} lists the job in that state. */
    static void awaitMonitorSees(URI monitor, String jobId, String state) {
        Await.until(Duration.ofSeconds(30), () -> "the monitor to see job " + jobId + " " + state, () -> {
            JsonNode jobs = getJson(monitor.resolve("api/v1/jobs"));
            for (JsonNode job : jobs.path("jobs")) {
                if (jobId.equals(job.path("job").asText()) && state.equals(job.path("state").asText())) {
                    return true;
                }
            }
            return false;
        });
    }

    static void awaitReady(URI monitor) {
        Await.until(Duration.ofSeconds(30), () -> "the monitor at " + monitor + " to be ready",
                () -> status(monitor.resolve("-/ready")) == 200);
    }

    /** Status of a GET, 0 when nothing answers. */
    static int status(URI uri) {
        try {
            return HTTP.send(request(uri), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    static JsonNode getJson(URI uri) {
        try {
            HttpResponse<String> response = HTTP.send(request(uri), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: GET " + uri, e);
        }
    }

    private static HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
    }
}
