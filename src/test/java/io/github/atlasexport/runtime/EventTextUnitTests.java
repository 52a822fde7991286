package io.github.atlasexport.runtime;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.JobEvent;
import io.github.atlasexport.monitor.TrackedJob;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventTextUnitTests {

    @Test
    void aStuckJobsTimeInStateIsWrittenLikeEveryOtherDuration() {
        Instant since = Instant.parse("2026-12-06T00:00:00Z");
        ExportJob job = new ExportJob("job1", null, null, since, null, null, "InProgress", null, null, null, null, null);
        JobEvent stuck = new JobEvent.StuckDetected(new ClusterKey("5f0a1b2c3d4e5f6a7b8c9d01", "Orders"),
                new TrackedJob(job, since, since, since, true), Duration.parse("PT7H1M1.696S"), since.plusSeconds(25261));

        assertEquals(new ClusterKey("5f0a1b2c3d4e5f6a7b8c9d01", "Orders") + " job job1 stuck in InProgress for 7h1m",
                EventText.describe(stuck));
    }
}
