package io.github.atlasexport.alert;

import java.util.List;

/**
 * What the dispatcher reports: hooks for metrics ({@code atlas_export_alerts_sent_total},
 * {@code _alerts_failed_total}, {@code atlas_export_alert_queue}) and for persisting the outbox.
 * Called from delivery loops and from {@link AlertDispatcher#enqueue}: implementations must be
 * thread-safe and quick (no blocking I/O; hand writes to a scheduler of their own).
 */
public interface DeliveryListener {

    /** The sink answered 2xx. */
    void sent(String sink, String alertname);

    /**
     * A delivery attempt failed: it will be retried, or the notice goes to the dead letters (then
     * {@link #dead} follows). Counting retried attempts too is what lets an operator see a sink that is
     * down while its alerts wait in the queue.
     */
    void failed(String sink, String alertname);

    /** The sink answered 410 Gone, or kept failing for {@link DeliveryOptions#maxAge()}: a dead letter now. */
    default void dead(String sink, String alertname) {
    }

    /** The sink's delivery loop failed (a bug, or a JVM error in a sink) and is restarted after a backoff. */
    default void loopRestarted(String sink) {
    }

    void queueSize(String sink, int size);

    /**
     * The sink's undelivered entries changed; persist them to survive a restart. Calls for one sink
     * may come from two threads (enqueue, delivery loop), so a writer that coalesces should mark the
     * state dirty and read {@link AlertDispatcher#pending()} when it writes, rather than keep
     * {@code entries} of an older call.
     */
    default void outboxChanged(String sink, List<OutboxEntry> entries) {
    }

    DeliveryListener NONE = new DeliveryListener() {
        @Override
        public void sent(String sink, String alertname) {
        }

        @Override
        public void failed(String sink, String alertname) {
        }

        @Override
        public void queueSize(String sink, int size) {
        }
    };
}
