package io.github.atlasexport.monitor;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The jobs of one cluster as of its latest successful poll, keyed by job id. Immutable: the differ
 * returns a new snapshot rather than changing the previous one. Iteration order is the order the
 * jobs were given in (the order of Atlas's list), so events and the state store come out the same on
 * every run; {@code Map.copyOf} would randomise it per JVM.
 *
 * @param jobs          the jobs of the latest list
 * @param observedAt    the latest successful poll, null until the first
 * @param firstPolledAt the first successful poll (since the durable state began): the baseline, whose
 *                      already ended jobs raise no alert; null exactly when {@code observedAt} is
 * @param departed      jobs tracked before but missing from the latest list, kept for a while in case
 *                      they come back (see {@link DepartedJob}); not part of what the cluster shows
 */
public record ClusterSnapshot(ClusterKey key, Map<String, TrackedJob> jobs, Instant observedAt, Instant firstPolledAt,
                              Map<String, DepartedJob> departed) {
    public ClusterSnapshot {
        requireNonNull(key, "key must not be null");
        if ((observedAt == null) != (firstPolledAt == null)) {
            throw new IllegalArgumentException("observedAt and firstPolledAt must be both set or both null");
        }
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
    public ClusterSnapshot(ClusterKey key, Map<String, TrackedJob> jobs, Instant observedAt, Instant firstPolledAt) {
        this(key, jobs, observedAt, firstPolledAt, Map.of());
    }

    /** A snapshot whose latest poll is its first one (or, with a null {@code observedAt}, a never polled one). */
    public ClusterSnapshot(ClusterKey key, Map<String, TrackedJob> jobs, Instant observedAt) {
        this(key, jobs, observedAt, observedAt);
    }

    /** A cluster the monitor has never polled: every job it lists is new, and none is a transition. */
    public static ClusterSnapshot empty(ClusterKey key) {
        return new ClusterSnapshot(key, Map.of(), null, null);
    }

    /** True until the first successful poll of this cluster (since the durable state began). */
    public boolean neverPolled() {
        return observedAt == null;
    }
}
