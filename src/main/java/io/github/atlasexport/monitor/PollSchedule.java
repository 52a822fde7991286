package io.github.atlasexport.monitor;

import io.github.atlasexport.config.MonitorConfig;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When to poll a cluster next: {@code activeInterval} while one of its jobs has not ended (Queued,
 * InProgress, or a state Atlas added later without {@code finishedAt}), else {@code interval}; spread by up to ±10% so that clusters configured alike do not poll in lockstep.
 */
public final class PollSchedule {
    static final double JITTER = 0.10;

    private PollSchedule() {
    }

    public static Duration nextDelay(ClusterSnapshot snapshot, MonitorConfig.Poll poll, DoubleSupplier random) {
        Duration base = hasActiveJob(snapshot) ? poll.activeInterval() : poll.interval();
        double factor = 1 + JITTER * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(base.toMillis() * factor)));
    }

    static boolean hasActiveJob(ClusterSnapshot snapshot) {
        return snapshot.jobs().values().stream().anyMatch(tracked -> !tracked.job().terminal());
    }
}
