package io.github.atlasexport.monitor;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.config.MonitorConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PollScheduleUnitTests {
    private static final ClusterKey CLUSTER = new ClusterKey("5f0a1b2c3d4e5f6a7b8c9d0e", "Cluster0");
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final MonitorConfig.Poll POLL = new MonitorConfig.Poll(Duration.ofSeconds(60), Duration.ofSeconds(15),
            Duration.ofDays(7));

    private static ClusterSnapshot polled(String state, boolean finished) {
        ExportJob job = new ExportJob("j1", "snap-1", "bucket-1", T0.minusSeconds(600), finished ? T0.minusSeconds(60) : null,
                "exports/j1", state, null, null, null, null, null);
        return ExportJobDiffer.diff(ClusterSnapshot.empty(CLUSTER), List.of(job), T0, null, Duration.ofDays(7)).snapshot();
    }

    @ParameterizedTest(name = "{0}, finished={1}: every {2} s")
    @CsvSource({
            "Queued, false, 15",
            "InProgress, false, 15",
            "Successful, true, 60",
            "Failed, true, 60",
            "Cancelled, true, 60",
            "Paused, false, 15",   // a state Atlas adds later, not ended: watched closely
            "Archived, true, 60",  // a state Atlas adds later, with finishedAt: ended
    })
    void anUnknownStateIsActiveUntilItHasFinishedAt(String state, boolean finished, long seconds) {
        assertEquals(Duration.ofSeconds(seconds), PollSchedule.nextDelay(polled(state, finished), POLL, () -> 0.5));
    }
}
