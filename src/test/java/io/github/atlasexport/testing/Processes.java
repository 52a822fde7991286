package io.github.atlasexport.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Starting the monitor as its own JVM, and stopping the peers tests and harnesses start. */
public final class Processes {
    /** RunCommand's line once the monitor listens. */
    private static final Pattern MONITOR_URL = Pattern.compile("metrics and status page at (http://127\\.0\\.0\\.1:\\d+/)");
    /** A JVM of its own on a busy machine. */
    private static final Duration MONITOR_STARTED_WITHIN = Duration.ofSeconds(60);

    private Processes() {
    }

    /** Kills {@code process} at once (SIGKILL on Unix, as {@code kill -9}) and waits up to 10 s for it to end. */
    public static void kill(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code Main run --config config} in a JVM of its own (small, quick to start), its output to {@code log}. */
    public static Process monitor(Path config, Path log) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                "io.github.atlasexport.cli.Main", "run", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /**
     * Where a monitor started by {@link #monitor} listens, from the line it logs once it does (so its config may
     * say port 0: no port found free beforehand, none another process can take first). Fails, quoting the log,
     * if it ends first.
     */
    public static URI monitorUrl(Process monitor, Path log) {
        return URI.create(Ports.logged(monitor, log, MONITOR_URL, MONITOR_STARTED_WITHIN));
    }

    /** Asks {@code process} to stop, kills it if it has not within 10 s; an interrupt kills it at once. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
