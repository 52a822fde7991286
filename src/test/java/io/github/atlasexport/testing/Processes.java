package io.github.atlasexport.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Starting the monitor as its own JVM, and stopping the peers tests and harnesses start. */
public final class Processes {
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
