package io.github.atlasexport.cli;

import io.github.atlasexport.config.MonitorConfig;

/**
 * The monitor exactly as {@code run} starts it, for the harnesses in {@code bench}: {@link MonitorRuntime}
 * stays package-private, so this is the one public way in, and it adds nothing to the product.
 */
public final class RunningMonitor implements AutoCloseable {
    private final MonitorRuntime runtime;

    private RunningMonitor(MonitorRuntime runtime) {
        this.runtime = runtime;
    }

    /** Returns once the poll loops are subscribed: every cluster's first poll is then due at once. */
    public static RunningMonitor start(MonitorConfig config) {
        return new RunningMonitor(MonitorRuntime.start(config));
    }

    /** {@code http://host:port/}, where {@code /-/ready} and {@code /metrics} are served. */
    public String url() {
        return runtime.url();
    }

    /** Stops polling and writes the state file, as on SIGTERM. */
    @Override
    public void close() {
        runtime.close();
    }
}
