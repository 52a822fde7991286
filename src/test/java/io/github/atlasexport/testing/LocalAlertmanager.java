package io.github.atlasexport.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus Alertmanager ({@code /usr/bin/prometheus-alertmanager}, Debian package
 * {@code prometheus-alertmanager}) on a free loopback port, alone (no cluster peers), routing every alert
 * to a receiver that does nothing: what it lists through its API is what an operator would see.
 * A missing binary fails the test: it is a broken test machine, not a reason to skip.
 */
public final class LocalAlertmanager implements AutoCloseable {

    public static final Path EXECUTABLE = Path.of("/usr/bin/prometheus-alertmanager");

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
        assertTrue(Files.isExecutable(EXECUTABLE), EXECUTABLE + " is required: apt-get install prometheus-alertmanager");
        Path config = workDir.resolve("alertmanager.yml");
        Files.writeString(config, "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n");
        int port = Ports.free();
        Path log = workDir.resolve("alertmanager.log");
        Process process = new ProcessBuilder(EXECUTABLE.toString(),
                "--config.file=" + config,
                "--storage.path=" + workDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LocalAlertmanager alertmanager = new LocalAlertmanager(process, log, URI.create("http://127.0.0.1:" + port + "/"));
        try {
            alertmanager.awaitReady();
        } catch (RuntimeException | Error e) {
            alertmanager.close();
            throw e;
        }
        return alertmanager;
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

    @Override
    public void close() {
        Processes.stop(process);
    }
}
