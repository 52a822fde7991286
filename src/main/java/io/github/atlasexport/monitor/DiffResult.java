package io.github.atlasexport.monitor;

import java.util.List;

/** The differ's answer: the cluster's new snapshot and the events that lead there from the old one. */
public record DiffResult(ClusterSnapshot snapshot, List<JobEvent> events) {
    public DiffResult {
        events = List.copyOf(events);
    }
}
