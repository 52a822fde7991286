package io.github.atlasexport.monitor;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The jobs of one cluster as of its latest successful poll, keyed by job id. Immutable: the differ
 * returns a new snapshot rather than changing the previous one. Iteration order is the order the
 * jobs were given in (the order of Atlas's list), so events and the state file come out the same on
 * every run; {@code Map.copyOf} would randomise it per JVM.
 *
 * @param jobs     the jobs of the latest list
 * @param departed jobs tracked before but missing from the latest list, kept for a while in case
 *                 they come back (see {@link DepartedJob}); not part of what the cluster shows
 */
public record ClusterSnapshot(ClusterKey key, Map<String, TrackedJob> jobs, Instant observedAt,
                              Map<String, DepartedJob> departed) {
    public ClusterSnapshot {
        requireNonNull(key, "key must not be null");
        requireNonNull(jobs, "jobs must not be null");
        jobs.forEach((id, job) -> {
            requireNonNull(id, "job id must not be null");
            requireNonNull(job, "tracked job must not be null");
        });
        jobs = Collections.unmodifiableMap(new LinkedHashMap<>(jobs));
        departed = departed == null || departed.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(departed));
    }

    /** A snapshot with no departed jobs. */
    public ClusterSnapshot(ClusterKey key, Map<String, TrackedJob> jobs, Instant observedAt) {
        this(key, jobs, observedAt, Map.of());
    }

    /** A cluster the monitor has never polled: every job it lists is new, and none is a transition. */
    public static ClusterSnapshot empty(ClusterKey key) {
        return new ClusterSnapshot(key, Map.of(), null);
    }

    /** True until the first successful poll of this cluster (since the durable state began). */
    public boolean neverPolled() {
        return observedAt == null;
    }
}
