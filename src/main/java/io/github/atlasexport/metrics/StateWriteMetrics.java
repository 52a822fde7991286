package io.github.atlasexport.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * How the monitor's own machinery goes, read at scrape time: the state store's writes (a failing disk
 * shows here) and the config reloads.
 */
final class StateWriteMetrics {

    private StateWriteMetrics() {
    }

    static void stateWrites(PrometheusRegistry registry, LongSupplier writeErrors, Supplier<Instant> lastWriteSuccess) {
        CounterWithCallback.builder()
                .name("atlas_export_state_write_errors_total")
                .help("Writes to the state store that failed (each is retried with the next save).")
                .callback(cb -> cb.call(writeErrors.getAsLong()))
                .register(registry);
        timestamp(registry, "atlas_export_state_last_write_success_timestamp_seconds",
                "When the last write to the state store succeeded (Unix seconds); absent before the first.",
                lastWriteSuccess);
    }

    static void configReloads(PrometheusRegistry registry, BooleanSupplier successful, Supplier<Instant> lastSuccess) {
        GaugeWithCallback.builder()
                .name("atlas_export_config_last_reload_successful")
                .help("1 if the last config reload (or the start) succeeded, 0 if the last reload was refused.")
                .callback(cb -> cb.call(successful.getAsBoolean() ? 1 : 0))
                .register(registry);
        timestamp(registry, "atlas_export_config_last_reload_success_timestamp_seconds",
                "When the config was last loaded successfully (Unix seconds).", lastSuccess);
    }

    /** A gauge of the Unix seconds {@code at} gives; no sample while it gives null. */
    private static void timestamp(PrometheusRegistry registry, String name, String help, Supplier<Instant> at) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .callback(cb -> {
                    Instant instant = at.get();
                    if (instant != null) {
                        cb.call(instant.toEpochMilli() / 1000.0);
                    }
                })
                .register(registry);
    }
}
