package io.github.atlasexport.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of one poll of one cluster: what the poller hands downstream to metrics and alerts.
 * On failure {@code error} is set, {@code snapshot} is the unchanged previous one and there are no events.
 */
public record Observation(ClusterKey cluster, Instant at, Duration pollDuration, Throwable error,
                          ClusterSnapshot snapshot, List<JobEvent> events) {
    public Observation {
        events = List.copyOf(events);
    }

    public boolean succeeded() {
        return error == null;
    }
}
