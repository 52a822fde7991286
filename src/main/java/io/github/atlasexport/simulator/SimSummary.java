package io.github.atlasexport.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A look at the whole simulation ({@code GET /__sim/state}).
 *
 * @param clockOffset how far the simulated clock was advanced beyond its base
 * @param jobsByState every job's current state, counted
 */
public record SimSummary(Instant now, Duration clockOffset, int projects, int clusters, long jobs,
                         Map<String, Long> jobsByState, List<Fault> faults, int rateLimitPerMinute) {

    public SimSummary {
        jobsByState = Map.copyOf(jobsByState);
        faults = List.copyOf(faults);
    }
}
