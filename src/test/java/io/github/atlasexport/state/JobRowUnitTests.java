package io.github.atlasexport.state;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.TrackedJob;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobRowUnitTests {
    private static final ClusterKey CLUSTER = new ClusterKey("5f0a1b2c3d4e5f6a7b8c9d0e", "Cluster0");
    private static final Instant T0 = Instant.parse("2026-12-06T07:00:00.5Z");

    private static TrackedJob tracked() {
        ExportJob job = new ExportJob("6560a1050000000000000003", "snap", "bucket", T0.minusSeconds(3600), T0,
                "exported_snapshots/x", "Failed", new ExportJob.StateReason("EXPORT_FAILED", "denied"), null,
                new ExportJob.ExportStatus(4, 10), List.of(new ExportJob.Component("c1", "shard-0")),
                List.of(new ExportJob.CustomData("team", "payments")));
        return new TrackedJob(job, T0.minusSeconds(3000), T0.minusSeconds(10), T0.minusSeconds(20), true);
    }

    @Test
    void theColumnsPeopleQueryHoldTheStateAndTheMonitorsClocksAsRfc3339() {
        JobRow row = JobRow.of(CLUSTER, tracked());
        assertEquals("Failed", row.state());
        assertEquals("2026-12-06T06:00:00.500Z", row.createdAt());
        assertEquals("2026-12-06T07:00:00.500Z", row.finishedAt());
        assertEquals("2026-12-06T06:10:00.500Z", row.firstSeen());
        assertEquals("2026-12-06T06:59:50.500Z", row.stateSince());
        assertEquals("2026-12-06T06:59:40.500Z", row.stuckClockStart());
        assertTrue(row.stuck());
        assertFalse(row.body().contains("firstSeen"), "the clocks live in columns only");
    }

    /** What the load reads of a row the store wrote: the columns a tracked job is made of, the body as bytes. */
    static JobRow.Stored stored(JobRow row) {
        return new JobRow.Stored(new ClusterKey(row.groupId(), row.clusterName()), row.jobId(),
                row.body().getBytes(StandardCharsets.UTF_8), row.firstSeen(), row.stateSince(), row.stuckClockStart(),
                row.stuck(), row.leftAt());
    }

    @Test
    void aRowReadsBackAsTheSameTrackedJob() {
        assertEquals(tracked(), stored(JobRow.of(CLUSTER, tracked())).toTrackedJob());
    }

    @Test
    void aDepartedJobKeepsTheTimeItLeft() {
        Instant left = T0.plusSeconds(60);
        JobRow row = JobRow.of(CLUSTER, tracked(), left);
        assertEquals("2026-12-06T07:01:00.500Z", row.leftAt());
        assertTrue(stored(row).departed());
        assertEquals(left, stored(row).leftAtTime());
        assertFalse(stored(JobRow.of(CLUSTER, tracked())).departed());
    }

    @Test
    void aColumnThatCannotBeReadIsNamed() {
        JobRow row = JobRow.of(CLUSTER, tracked());
        JobRow badClock = new JobRow(row.groupId(), row.clusterName(), row.jobId(), row.state(), row.createdAt(),
                row.finishedAt(), row.firstSeen(), "not a time", row.stuckClockStart(), row.stuck(), null, row.body());
        assertTrue(assertThrows(IllegalArgumentException.class, stored(badClock)::toTrackedJob).getMessage()
                .contains("state_since"));
        JobRow badBody = new JobRow(row.groupId(), row.clusterName(), row.jobId(), row.state(), row.createdAt(),
                row.finishedAt(), row.firstSeen(), row.stateSince(), row.stuckClockStart(), row.stuck(), null, "{\"id\": 1");
        assertTrue(assertThrows(IllegalArgumentException.class, stored(badBody)::toTrackedJob).getMessage().contains("body"));
        JobRow otherId = new JobRow(row.groupId(), row.clusterName(), "another", row.state(), row.createdAt(),
                row.finishedAt(), row.firstSeen(), row.stateSince(), row.stuckClockStart(), row.stuck(), null, row.body());
        assertTrue(assertThrows(IllegalArgumentException.class, stored(otherId)::toTrackedJob).getMessage().contains("job_id"));
    }
}
