package io.github.atlasexport.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits for integration tests, where something outside the test thread must happen first. */
public final class Await {

    private static final long PAUSE_MILLIS = 50;

    private Await() {
    }

    /**
     * Checks {@code condition} every 50ms until it holds; fails after {@code timeout} naming what was awaited.
     * {@code what} is only asked on failure, so it may describe the state seen then.
     */
    public static void until(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up after " + timeout.toSeconds() + "s waiting for " + what.get());
            }
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what.get(), e);
            }
        }
    }
}
