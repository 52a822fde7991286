package io.github.atlasexport.metrics;

import io.github.atlasexport.monitor.Discovery;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The poll loops' own health, as opposed to the clusters': cluster discovery of {@code "*"} targets,
 * and loops that ended unexpectedly and were restarted (a monitor problem, not an Atlas one).
 */
final class PollLoopMetrics {

    private final PrometheusRegistry registry;
    private final Gauge discoveryUp;
    /** Null until loops report: metrics without a monitor (tests, tools) then do not show a counter stuck at 0. */
    private final AtomicReference<LongSupplier> restarts = new AtomicReference<>();

    PollLoopMetrics(PrometheusRegistry registry) {
        this.registry = registry;
        discoveryUp = Gauge.builder()
                .name("atlas_export_discovery_up")
                .help("1 if the last cluster discovery of a \"*\" target succeeded, else 0.")
                .labelNames("group_id")
                .withoutExemplars()
                .register(registry);
    }

    void discovery(Discovery discovery) {
        discoveryUp.labelValues(discovery.groupId()).set(discovery.succeeded() ? 1 : 0);
    }

    void restarts(LongSupplier count) {
        if (restarts.getAndSet(requireNonNull(count, "count must not be null")) == null) {
            CounterWithCallback.builder()
                    .name("atlas_export_poll_loop_restarts_total")
                    .help("Poll and discovery loops that ended unexpectedly and were restarted.")
                    .callback(cb -> cb.call(restarts.get().getAsLong()))
                    .register(registry);
        }
    }
}
