package io.github.atlasexport.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Instant;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** How the state store's writes go, read from the store at scrape time: a failing disk shows here. */
final class StateWriteMetrics {

    private StateWriteMetrics() {
    }

    static void register(PrometheusRegistry registry, LongSupplier writeErrors, Supplier<Instant> lastWriteSuccess) {
        CounterWithCallback.builder()
                .name("atlas_export_state_write_errors_total")
                .help("Writes to the state store that failed (each is retried with the next save).")
                .callback(cb -> cb.call(writeErrors.getAsLong()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("atlas_export_state_last_write_success_timestamp_seconds")
                .help("When the last write to the state store succeeded (Unix seconds); absent before the first.")
                .callback(cb -> {
                    Instant at = lastWriteSuccess.get();
                    if (at != null) {
                        cb.call(at.toEpochMilli() / 1000.0);
                    }
                })
                .register(registry);
    }
}
