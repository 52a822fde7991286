package io.github.atlasexport.runtime;

import io.github.atlasexport.config.ConfigException;
import io.github.atlasexport.config.MonitorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
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
    /** Tries at restarting on the previous config when the new one could not start (its port taken for a moment, ...). */
    static final int RESTARTS = 5;

    /** Starts a monitor on a config; {@link MonitorRuntime#start(MonitorConfig, Reloads)} but in tests. */
    interface Starter {
        MonitorRuntime start(MonitorConfig config, Reloads reloads);
    }

    private final Supplier<MonitorConfig> configs;
    private final boolean lifecycle;
    private final Starter starter;
    private final Consumer<RuntimeException> stopped;
    private final Duration restartPause;
    private volatile MonitorRuntime current; // null once no monitor could be started again
    private volatile boolean lastSuccessful = true;
    private volatile Instant lastSuccess;

    private ReloadingMonitor(Supplier<MonitorConfig> configs, boolean lifecycle, Starter starter,
                             Consumer<RuntimeException> stopped, Duration restartPause) {
        this.configs = configs;
        this.lifecycle = lifecycle;
        this.starter = starter;
        this.stopped = stopped;
        this.restartPause = restartPause;
    }

    /**
     * Starts the monitor on the first config {@code configs} gives.
     *
     * @param configs   reads the config file; throws {@link ConfigException} for a bad one
     * @param lifecycle serve {@code POST /-/reload} ({@code --web.enable-lifecycle})
     * @param stopped   told when a reload left no monitor running: neither the new config nor the
     *                  previous one could start again ({@code run} exits, for its supervisor to restart it)
     */
    public static ReloadingMonitor start(Supplier<MonitorConfig> configs, boolean lifecycle,
                                         Consumer<RuntimeException> stopped) {
        return start(configs, lifecycle, MonitorRuntime::start, stopped, Duration.ofSeconds(1));
    }

    static ReloadingMonitor start(Supplier<MonitorConfig> configs, boolean lifecycle, Starter starter,
                                  Consumer<RuntimeException> stopped, Duration restartPause) {
        ReloadingMonitor monitor = new ReloadingMonitor(configs, lifecycle, starter, stopped, restartPause);
        MonitorConfig config = configs.get();
        monitor.current = starter.start(config, monitor);
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

    @Override
    public boolean lifecycleEnabled() {
        return lifecycle;
    }

    @Override
    public List<String> check() {
        try {
            configs.get();
            return List.of();
        } catch (ConfigException e) {
            return refused(e).problems();
        }
    }

    private Outcome refused(ConfigException e) {
        lastSuccessful = false;
        log.error("config reload failed; the monitor goes on with the config it has. Invalid configuration in {}:",
                e.source());
        e.problems().forEach(problem -> log.error("  {}", problem));
        return new Outcome(false, e.problems());
    }

    /** One reload at a time; blocking (it stops and starts the monitor): never call it on an event loop. */
    @Override
    public synchronized Outcome reload() {
        MonitorConfig next;
        try {
            next = configs.get();
        } catch (ConfigException e) {
            return refused(e);
        }
        MonitorRuntime previous = current;
        MonitorConfig before = previous == null ? next : previous.config(); // none runs: a reload may start one
        if (previous != null) {
            previous.close();
        }
        try {
            current = starter.start(next, this);
        } catch (RuntimeException e) {
            log.error("the reloaded config could not start ({}); starting again on the previous one", e.toString());
            lastSuccessful = false;
            current = startAgain(before);
            return new Outcome(false, List.of("could not start: " + e.getMessage()));
        }
        lastSuccessful = true;
        lastSuccess = Instant.now();
        log.info("config reloaded: {} target(s), {} sink(s)", next.targets().size(), next.alerts().sinks().size());
        return new Outcome(true, List.of());
    }

    /**
     * The monitor on the config it ran before, tried {@link #RESTARTS} times a pause apart (what stopped
     * the new one, a port taken in the instant it was free, may stop this one too); null, with
     * {@code stopped} told, if it never starts: a process that serves nothing must not look alive.
     */
    private MonitorRuntime startAgain(MonitorConfig before) {
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= RESTARTS; attempt++) {
            try {
                return starter.start(before, this);
            } catch (RuntimeException e) {
                failure = e;
                log.error("the previous config could not start again either (try {} of {}): {}", attempt, RESTARTS,
                        e.toString());
                pause();
            }
        }
        log.error("no monitor is running after the failed reload");
        stopped.accept(failure);
        return null;
    }

    private void pause() {
        try {
            Thread.sleep(restartPause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        if (current != null) {
            current.close();
        }
    }
}
