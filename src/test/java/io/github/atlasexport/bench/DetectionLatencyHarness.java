package io.github.atlasexport.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.runtime.MonitorRuntime;
import io.github.atlasexport.config.Durations;
import io.github.atlasexport.config.MonitorConfig;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issue target 5: detection latency at 1,000 clusters, from a job's state change in the simulator to
 * the webhook that reports it, against the bound {@code activeInterval + 1 s}.
 *
 * <p>The world is {@link BenchWorld}'s (simulator in its own JVM, 50 ms latency, digest auth); the
 * monitor runs in this JVM as the product, {@code interval} 60 s, {@code activeInterval} 5 s, with a
 * webhook sink pointed at a plain Reactor Netty receiver in this JVM. Before the monitor starts, the
 * harness adds a job that hangs InProgress to {@code --changes} clusters spread over the world, so
 * those clusters are active (polled every {@code activeInterval}, see {@code PollSchedule}) and the
 * monitor's first look at them is no news. Once the monitor is ready and has settled, the harness
 * forces those jobs to Failed one at a time through the simulator's control API
 * ({@code PUT /__sim/jobs/.../state}), each after a random pause of up to one {@code activeInterval}
 * so that the changes land at every phase of the poll cycle. The latency of a change runs from just
 * before the control request is sent (the change happens while it is answered) to the arrival of
 * the {@code AtlasExportJobFailed} webhook for that job at the receiver: poll wait, the poll itself,
 * diff, rules and the webhook delivery. Stuck thresholds are set to 10 years so that the fleet's
 * long-hanging generated jobs do not flood the same sink with stuck alerts at start.
 *
 * <pre>
 * bench/run.sh detection [--clusters 1000] [--jobs 50] [--latency 50ms] [--concurrency 64]
 *                        [--active-interval 5s] [--interval 60s] [--changes 20] [--dir target/detection]
 * </pre>
 */
public final class DetectionLatencyHarness {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SLACK = Duration.ofSeconds(1);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static final String HANGS_IN_PROGRESS = "{\"queuedFor\": \"0s\", \"runFor\": \"1h\", \"collections\": 10,"
            + " \"outcome\": \"Hang\"}";
    private static final String FAILED = "{\"state\": \"Failed\", \"reason\": \"detection latency probe\"}";

    private DetectionLatencyHarness() {
    }

    public static void main(String[] args) throws Exception {
        HarnessArgs a = HarnessArgs.parse(args);
        int clusters = a.integer("clusters", 1_000);
        int jobs = a.integer("jobs", 50);
        Duration latency = a.duration("latency", Duration.ofMillis(50));
        int concurrency = a.integer("concurrency", 64);
        Duration activeInterval = a.duration("active-interval", Duration.ofSeconds(5));
        Duration interval = a.duration("interval", Duration.ofSeconds(60));
        int changes = a.integer("changes", 20);
        Path dir = a.path("dir", Path.of("target", "detection"));
        a.finish();

        Path state = dir.resolve("state.json");
        Files.deleteIfExists(state);
        Map<String, Long> received = new ConcurrentHashMap<>();
        DisposableServer receiver = receiver(received);
        try (BenchWorld world = BenchWorld.start(clusters, jobs, latency, dir, "")) {
            List<Probe> probes = addHangingJobs(world, changes);
            MonitorConfig config = world.monitorConfig(concurrency, interval, activeInterval, state, String.join("\n",
                    "alerts:",
                    "  stuck: {inProgressAfter: 3650d, queuedAfter: 3650d}",
                    "  sinks:",
                    "    - {type: webhook, url: 'http://127.0.0.1:" + receiver.port() + "/hook'}",
                    ""));
            Duration bound = activeInterval.plus(SLACK);
            System.out.printf(Locale.ROOT, "detection: %d clusters x %d jobs, latency %s, maxConcurrency %d,"
                            + " interval %s, activeInterval %s; %d changes; bound %.3f s%n", world.clusterCount(), jobs,
                    Durations.format(latency), concurrency, Durations.format(interval),
                    Durations.format(activeInterval), probes.size(), ScaleHarness.seconds(bound));
            try (MonitorRuntime monitor = MonitorRuntime.start(config)) {
                awaitReady(monitor);
                Thread.sleep(activeInterval.multipliedBy(2).toMillis()); // past the start's bursts, polls in rhythm
                SplittableRandom random = new SplittableRandom(7);
                for (Probe probe : probes) {
                    Thread.sleep(random.nextLong(activeInterval.toMillis()));
                    probe.changedAt = System.nanoTime();
                    world.sim().control("PUT", "jobs/" + probe.groupId + "/" + probe.cluster + "/" + probe.jobId
                            + "/state", FAILED);
                }
                long deadline = System.nanoTime() + activeInterval.multipliedBy(3).plusSeconds(10).toNanos();
                while (!probes.stream().allMatch(p -> received.containsKey(p.jobId)) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
            report(probes, received, bound);
        } finally {
            receiver.disposeNow();
        }
    }

    /** One hanging job per chosen cluster, the clusters spread evenly over the world. */
    private static List<Probe> addHangingJobs(BenchWorld world, int changes) throws IOException, InterruptedException {
        List<Map.Entry<String, String>> all = new ArrayList<>();
        world.clustersByGroup().forEach((groupId, names) -> names.forEach(name -> all.add(Map.entry(groupId, name))));
        List<Probe> probes = new ArrayList<>();
        for (int i = 0; i < Math.min(changes, all.size()); i++) {
            Map.Entry<String, String> cluster = all.get((int) ((long) i * all.size() / Math.min(changes, all.size())));
            JsonNode job = world.sim().control("POST", "jobs/" + cluster.getKey() + "/" + cluster.getValue(),
                    HANGS_IN_PROGRESS);
            probes.add(new Probe(cluster.getKey(), cluster.getValue(), job.path("id").asText()));
        }
        return probes;
    }

    /** Records when the first AtlasExportJobFailed webhook for each job arrived; answers 200 to everything. */
    private static DisposableServer receiver(Map<String, Long> received) {
        return HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.post("/hook", (request, response) -> {
                    long arrived = System.nanoTime();
                    return request.receive().aggregate().asString(StandardCharsets.UTF_8)
                            .doOnNext(body -> {
                                JsonNode alert = read(body);
                                if ("AtlasExportJobFailed".equals(alert.path("alertname").asText())
                                        && "firing".equals(alert.path("status").asText())) {
                                    received.putIfAbsent(alert.path("job").path("id").asText(), arrived);
                                }
                            })
                            .then(response.status(200).send());
                }))
                .bindNow();
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static void awaitReady(MonitorRuntime monitor) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(monitor.url() + "-/ready")).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the monitor was not ready within " + READY_TIMEOUT);
            }
            Thread.sleep(100);
        }
    }

    private static void report(List<Probe> probes, Map<String, Long> received, Duration bound) {
        List<Double> latencies = new ArrayList<>();
        int missing = 0;
        for (Probe probe : probes) {
            Long arrived = received.get(probe.jobId);
            if (arrived == null) {
                missing++;
            } else {
                latencies.add((arrived - probe.changedAt) / 1e9);
            }
        }
        latencies.sort(null);
        if (latencies.isEmpty()) {
            throw new IllegalStateException("no webhook arrived for any of the " + probes.size() + " changes");
        }
        double p50 = latencies.get((latencies.size() - 1) / 2);
        double max = latencies.get(latencies.size() - 1);
        System.out.printf(Locale.ROOT, "latencies (s): %s%n", latencies.stream()
                .map(l -> String.format(Locale.ROOT, "%.3f", l)).toList());
        System.out.printf(Locale.ROOT, "RESULT changes=%d received=%d missing=%d p50=%.3fs max=%.3fs bound=%.3fs"
                        + " max/bound=%.3f (target <= 1)%n", probes.size(), latencies.size(), missing, p50, max,
                ScaleHarness.seconds(bound), max / ScaleHarness.seconds(bound));
    }

    /** A job the harness fails on purpose, and when it did. */
    private static final class Probe {
        final String groupId;
        final String cluster;
        final String jobId;
        long changedAt;

        Probe(String groupId, String cluster, String jobId) {
            this.groupId = groupId;
            this.cluster = cluster;
            this.jobId = jobId;
        }
    }
}
