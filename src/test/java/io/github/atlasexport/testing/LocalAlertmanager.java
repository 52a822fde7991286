package io.github.atlasexport.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus Alertmanager ({@code /usr/bin/prometheus-alertmanager}, Debian package
 * {@code prometheus-alertmanager}) on a loopback port of its choosing: alone, routing every alert to a receiver that
 * does nothing (what it lists through its API is what an operator would see), or as one peer of a
 * cluster notifying a webhook ({@link #startPeer}).
 * A missing binary fails the test: it is a broken test machine, not a reason to skip.
 */
public final class LocalAlertmanager implements AutoCloseable {

    public static final Path EXECUTABLE = Path.of("/usr/bin/prometheus-alertmanager");

    /**
     * How long a cluster peer waits for each peer before it in the order before notifying: time for the first
     * peer's notification log to reach it by gossip, else it notifies too. Not 2 s: a busy machine can hold a
     * peer's gossip back that long.
     */
    public static final Duration PEER_TIMEOUT = Duration.ofSeconds(5);

    private static final Duration READY_WITHIN = Duration.ofSeconds(20);

    private final Process process;
    private final Path log;
    private final URI url;

    private LocalAlertmanager(Process process, Path log, URI url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    /**
     * Starts Alertmanager and waits until it answers {@code /-/ready}.
     *
     * @param workDir holds the generated config, its data and its log; the caller deletes it
     */
    public static LocalAlertmanager start(Path workDir) throws IOException {
        return start(workDir, "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n", List.of("--cluster.listen-address="));
    }

    /**
     * One peer of an Alertmanager cluster gossiping on loopback, notifying {@code webhook}: one
     * notification per job alert (grouped by job), after a short group wait, never repeated, never resolved.
     * Peers wait {@link #PEER_TIMEOUT} per position for the ones before them, as they do in production
     * (15 s by default), so that only one of them notifies.
     *
     * @param clusterPort this peer's gossip port on 127.0.0.1
     * @param peerPorts   the gossip ports of the other peers
     */
    public static LocalAlertmanager startPeer(Path workDir, URI webhook, int clusterPort, List<Integer> peerPorts)
            throws IOException {
        String config = """
                route:
                  receiver: hook
                  group_by: [alertname, group_id, cluster_name, job_id]
                  group_wait: 1s
                  group_interval: 1m
                  repeat_interval: 24h
                receivers:
                  - name: hook
                    webhook_configs:
                      - url: '%s'
                        send_resolved: false
                """.formatted(webhook);
        List<String> flags = new ArrayList<>(List.of(
                "--cluster.listen-address=127.0.0.1:" + clusterPort,
                "--cluster.advertise-address=127.0.0.1:" + clusterPort,
                "--cluster.peer-timeout=" + PEER_TIMEOUT.toSeconds() + "s",
                "--cluster.settle-timeout=5s",
                "--cluster.reconnect-timeout=5m"));
        peerPorts.forEach(port -> flags.add("--cluster.peer=127.0.0.1:" + port));
        return start(workDir, config, flags);
    }

    private static LocalAlertmanager start(Path workDir, String yaml, List<String> clusterFlags) throws IOException {
        assertTrue(Files.isExecutable(EXECUTABLE), EXECUTABLE + " is required: apt-get install prometheus-alertmanager");
        Files.createDirectories(workDir);
        Path config = workDir.resolve("alertmanager.yml");
        Files.writeString(config, yaml);
        Path log = workDir.resolve("alertmanager.log");
        List<String> command = new ArrayList<>(List.of(EXECUTABLE.toString(),
                "--config.file=" + config,
                "--storage.path=" + workDir.resolve("data"),
                // Port 0, the port read from the log: one found free beforehand might be taken before it binds.
                "--web.listen-address=127.0.0.1:0"));
        command.addAll(clusterFlags);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            int port = Ports.announced(process, log, READY_WITHIN);
            LocalAlertmanager alertmanager = new LocalAlertmanager(process, log, URI.create("http://127.0.0.1:" + port + "/"));
            alertmanager.awaitReady();
            return alertmanager;
        } catch (RuntimeException | Error e) {
            Processes.stop(process);
            throw e;
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(url.resolve("-/ready")).timeout(Duration.ofSeconds(5)).GET().build();
        Await.until(READY_WITHIN, () -> "alertmanager to be ready; its log: " + log(), () -> {
            assertTrue(process.isAlive(), () -> "alertmanager exited: " + log());
            try {
                return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notListeningYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for alertmanager", e);
            }
        });
    }

    /** The base URL, ending in {@code /}: {@code url().resolve("api/v2/alerts")} lists the alerts. */
    public URI url() {
        return url;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** SIGKILL, as a crash would end it: no goodbye to its peers. */
    public void kill() {
        Processes.kill(process);
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
