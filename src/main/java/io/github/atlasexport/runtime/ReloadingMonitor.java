package io.github.atlasexport.runtime;

import io.github.atlasexport.config.ConfigException;
import io.github.atlasexport.config.MonitorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The monitor of {@code run}: on a reload (SIGHUP, {@code POST /-/reload}) it reads the config again
 * and, when the new one is valid, stops the running monitor, which saves its state, and starts one on
 * the new config from that state, so no job state, alert or queued delivery is lost. A new config with
 * problems changes nothing: every problem is logged and {@code atlas_export_config_last_reload_successful}
 * drops to 0 until a reload succeeds. Restarting the whole monitor, rather than patching the running
 * one part by part, keeps one way in: a reloaded monitor is exactly a monitor started on that config.
 */
public final class ReloadingMonitor implements Reloads, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReloadingMonitor.class);

    private final Supplier<MonitorConfig> configs;
    private volatile MonitorRuntime current;
    private volatile boolean lastSuccessful = true;
    private volatile Instant lastSuccess;

    private ReloadingMonitor(Supplier<MonitorConfig> configs) {
        this.configs = configs;
    }

    /**
     * Starts the monitor on the first config {@code configs} gives.
     *
     * @param configs reads the config file; throws {@link ConfigException} for a bad one
     */
    public static ReloadingMonitor start(Supplier<MonitorConfig> configs) {
        ReloadingMonitor monitor = new ReloadingMonitor(configs);
        MonitorConfig config = configs.get();
        monitor.current = MonitorRuntime.start(config, monitor);
        monitor.lastSuccess = Instant.now();
        return monitor;
    }

    public MonitorRuntime current() {
        return current;
    }

    @Override
    public boolean lastSuccessful() {
        return lastSuccessful;
    }

    @Override
    public Instant lastSuccess() {
        return lastSuccess;
    }

    /** One reload at a time; blocking (it stops and starts the monitor): never call it on an event loop. */
    @Override
    public synchronized Outcome reload() {
        MonitorConfig next;
        try {
            next = configs.get();
        } catch (ConfigException e) {
            lastSuccessful = false;
            log.error("config reload failed; the monitor goes on with the config it has. Invalid configuration in {}:",
                    e.source());
            e.problems().forEach(problem -> log.error("  {}", problem));
            return new Outcome(false, e.problems());
        }
        MonitorRuntime previous = current;
        MonitorConfig before = previous.config();
        previous.close();
        try {
            current = MonitorRuntime.start(next, this);
        } catch (RuntimeException e) {
            log.error("the reloaded config could not start ({}); starting again on the previous one", e.toString());
            lastSuccessful = false;
            current = MonitorRuntime.start(before, this);
            return new Outcome(false, List.of("could not start: " + e.getMessage()));
        }
        lastSuccessful = true;
        lastSuccess = Instant.now();
        log.info("config reloaded: {} target(s), {} sink(s)", next.targets().size(), next.alerts().sinks().size());
        return new Outcome(true, List.of());
    }

    @Override
    public synchronized void close() {
        current.close();
    }
}
