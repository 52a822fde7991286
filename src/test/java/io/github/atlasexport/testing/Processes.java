package io.github.atlasexport.testing;

import java.util.concurrent.TimeUnit;

/** Stopping the peers tests and harnesses start. */
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
