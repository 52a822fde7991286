package io.github.atlasexport.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.testing.Ports;
import io.github.atlasexport.testing.Processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator in a JVM of its own, as {@code simulate --scenario FILE} runs it, so that its CPU
 * and heap are not counted as the monitor's. Started with the harness's own java and classpath;
 * killed on {@link #close()} and, should the harness die first, by a shutdown hook.
 */
final class SimulatorProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String baseUrl;
    private final Thread killer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SimulatorProcess(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.killer = new Thread(process::destroyForcibly, "kill-simulator");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Starts the simulator on a free loopback port and returns once its control API answers.
     *
     * @param jvmOptions more options for its JVM, split at spaces (e.g. to record a profile), or ""
     */
    static SimulatorProcess start(Path scenario, Path log, String maxHeap, String jvmOptions)
            throws IOException, InterruptedException {
        int port = Ports.free();
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        if (!jvmOptions.isBlank()) {
            command.addAll(List.of(jvmOptions.trim().split("\\s+")));
        }
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"),
                "io.github.atlasexport.cli.Main", "simulate",
                "--listen", "127.0.0.1:" + port,
                "--scenario", scenario.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        SimulatorProcess sim = new SimulatorProcess(process, "http://127.0.0.1:" + port);
        try {
            sim.awaitAnswering(log);
        } catch (IOException | InterruptedException | RuntimeException e) {
            sim.close();
            throw e;
        }
        return sim;
    }

    private void awaitAnswering(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the simulator exited with " + process.exitValue() + "; see " + log);
            }
            try {
                control("GET", "state", null);
                return;
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the simulator did not answer within " + START_TIMEOUT + "; see " + log);
                }
                Thread.sleep(100);
            }
        }
    }

    /** CPU time the simulator's JVM has used so far: it shares the machine's cores with the monitor. */
    Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** The Atlas {@code baseUrl}. */
    String baseUrl() {
        return baseUrl;
    }

    /** Calls {@code /__sim/PATH}; fails unless it answers 200. */
    JsonNode control(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/__sim/" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(method + " /__sim/" + path + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** {@code GET /__sim/requests}: exchanges by method, route template and status, and digest challenges. */
    JsonNode requests() {
        try {
            return control("GET", "requests", null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void resetCounters() throws IOException, InterruptedException {
        control("POST", "reset-counters", null);
    }

    @Override
    public void close() {
        Processes.stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway, harmlessly, on a dead process
        }
    }
}
