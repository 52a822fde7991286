package io.github.atlasexport.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

import static java.util.Objects.requireNonNull;

/** Deliveries to alert sinks, and the outbox of each sink read at scrape time. */
final class AlertDeliveryMetrics {

    private final Counter sent;
    private final Counter failed;
    private final Counter dead;
    private final Counter loopRestarts;
    private final Map<String, IntSupplier> queues = new ConcurrentHashMap<>();

    AlertDeliveryMetrics(PrometheusRegistry registry) {
        sent = Counter.builder()
                .name("atlas_export_alerts_sent_total")
                .help("Alert notifications (firing or resolved) delivered, by sink and alert name.")
                .labelNames("sink", "alertname")
                .withoutExemplars()
                .register(registry);
        failed = Counter.builder()
                .name("atlas_export_alerts_failed_total")
                .help("Failed alert delivery attempts (each is retried), by sink and alert name.")
                .labelNames("sink", "alertname")
                .withoutExemplars()
                .register(registry);
        dead = Counter.builder()
                .name("atlas_export_alerts_dead_total")
                .help("Alert notifications moved to the dead letter list (kept, shown, re-sendable), by sink.")
                .labelNames("sink")
                .withoutExemplars()
                .register(registry);
        loopRestarts = Counter.builder()
                .name("atlas_export_alert_loop_restarts_total")
                .help("Alert delivery loops that failed and were restarted, by sink.")
                .labelNames("sink")
                .withoutExemplars()
                .register(registry);
        GaugeWithCallback.builder()
                .name("atlas_export_alert_queue")
                .help("Alert notifications waiting for delivery, by sink.")
                .labelNames("sink")
                .callback(cb -> queues.forEach((sink, size) -> cb.call(size.getAsInt(), sink)))
                .register(registry);
    }

    /** The sink's delivery counters show 0 from the first scrape, for every alert it may be sent. */
    void knownSink(String sink, Collection<String> alertnames) {
        alertnames.forEach(alertname -> {
            sent.initLabelValues(sink, alertname);
            failed.initLabelValues(sink, alertname);
        });
        dead.initLabelValues(sink);
    }

    void sent(String sink, String alertname) {
        sent.labelValues(sink, alertname).inc();
    }

    void failed(String sink, String alertname) {
        failed.labelValues(sink, alertname).inc();
    }

    void dead(String sink) {
        dead.labelValues(sink).inc();
    }

    void loopRestarted(String sink) {
        loopRestarts.labelValues(sink).inc();
    }

    void queue(String sink, IntSupplier size) {
        queues.put(requireNonNull(sink, "sink must not be null"), requireNonNull(size, "size must not be null"));
    }
}
