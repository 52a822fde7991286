package io.github.atlasexport.monitor;

import java.time.Instant;

/**
 * The latest known condition of one polled cluster, for people and readiness checks.
 *
 * @param lastError message of the last poll's error, or null when it succeeded
 */
public record TargetStatus(ClusterKey key, ClusterSnapshot snapshot, Instant lastAttempt, Instant lastSuccess,
                           String lastError) {

    public boolean up() {
        return lastError == null;
    }

    /** Folds one more observation into the status. */
    public TargetStatus next(Observation observation) {
        return observation.succeeded()
                ? new TargetStatus(key, observation.snapshot(), observation.at(), observation.at(), null)
                : new TargetStatus(key, observation.snapshot(), observation.at(), lastSuccess,
                describe(observation.error()));
    }

    public static TargetStatus initial(ClusterKey key) {
        return new TargetStatus(key, ClusterSnapshot.empty(key), null, null, null);
    }

    static String describe(Throwable error) {
        return error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
    }
}
