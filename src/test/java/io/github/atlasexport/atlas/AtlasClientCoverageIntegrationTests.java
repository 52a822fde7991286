package io.github.atlasexport.atlas;

import io.github.atlasexport.simulator.Scenario;
import io.github.atlasexport.simulator.SimClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.github.atlasexport.atlas.SimulatedAtlas.API_KEY;
import static io.github.atlasexport.atlas.SimulatedAtlas.T0;
import static io.github.atlasexport.atlas.SimulatedAtlas.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coverage reads (schedule, snapshots in both forms, export buckets) against the simulator, on its clock. */
class AtlasClientCoverageIntegrationTests {
    private static final String GROUP = "5f0a1b2c3d4e5f60718293b1";
    private static final String BUCKET = "66bb000000000000000000c1";
    private static final String DR = "66bb000000000000000000c2";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SCENARIO = """
            projects:
              - id: %s
                name: Shop
                exportBuckets:
                  - {id: %s, name: shop-exports}
                  - {id: %s, name: shop-dr}
                clusters:
                  - name: Auto
                    snapshots: 2
                    snapshotEvery: 6h
                    newestSnapshotAgo: 1h
                    autoExport: {frequency: weekly, plan: {queuedFor: 10s, runFor: 1m}}
                  - name: Manual
                    exportBucket: %s
                  - name: Shards
                    type: SHARDED
                    shards: 3
                    autoExport: {stoppedAgo: 3d}
            """.formatted(GROUP, BUCKET, DR, DR);

    private SimulatedAtlas atlas;

    @AfterEach
    void stop() {
        if (atlas != null) {
            atlas.close();
        }
    }

    @Test
    void schedulesSnapshotsAndBucketsAreReadAsAtlasWritesThem() {
        atlas = SimulatedAtlas.start(Scenario.parse(SCENARIO, "coverage.yaml"), SimClock.startingAt(T0));
        AtlasClient client = atlas.client(API_KEY);

        BackupSchedule auto = client.getBackupSchedule(GROUP, "Auto").block(WAIT);
        assertTrue(auto.autoExport());
        assertEquals(new BackupSchedule.Export(BUCKET, "weekly"), auto.export());
        assertEquals(Boolean.FALSE, auto.useOrgAndGroupNamesInExportPrefix());
        BackupSchedule manual = client.getBackupSchedule(GROUP, "Manual").block(WAIT);
        assertFalse(manual.autoExport());
        assertNull(manual.export());

        List<Snapshot> snapshots = client.listSnapshots(GROUP, "Auto", false).collectList().block(WAIT);
        assertEquals(List.of(T0.minus(Duration.ofHours(1)), T0.minus(Duration.ofHours(7))),
                snapshots.stream().map(Snapshot::createdAt).toList());
        assertTrue(snapshots.stream().allMatch(Snapshot::completed));
        List<ExportJob> exports = client.listExportJobs(GROUP, "Auto").collectList().block(WAIT);
        assertEquals(2, exports.size(), "auto-export copied each snapshot taken before start");
        assertTrue(exports.stream().allMatch(job -> "Successful".equals(job.state()) && BUCKET.equals(job.exportBucketId())));

        List<Snapshot> sharded = client.listSnapshots(GROUP, "Shards", true).collectList().block(WAIT);
        assertEquals(3, sharded.size());
        assertEquals("shardedCluster", sharded.get(0).type());
        assertEquals(List.of(), client.listSnapshots(GROUP, "Auto", true).collectList().block(WAIT),
                "a replica set has no sharded-form snapshots");
        assertEquals(List.of(), client.listExportJobs(GROUP, "Shards").collectList().block(WAIT),
                "its auto-export stopped before its oldest snapshot");

        assertEquals(List.of(new ExportBucket(BUCKET, "shop-exports", "AWS"), new ExportBucket(DR, "shop-dr", "AWS")),
                client.listExportBuckets(GROUP).collectList().block(WAIT));
        assertEquals(2, atlas.sim.requestCounts().count("GET",
                route(ApiVersion.V2, "/groups/{groupId}/clusters/{clusterName}/backup/snapshots/shardedClusters"), 200));
    }

    @Test
    void snapshotsAreTakenOnTheClockAndExportedWhileAutoExportRuns() {
        atlas = SimulatedAtlas.start(Scenario.parse(SCENARIO, "coverage.yaml"), SimClock.startingAt(T0));
        AtlasClient client = atlas.client(API_KEY);

        atlas.sim.advance(Duration.ofHours(5).plusMinutes(10));

        List<Snapshot> snapshots = client.listSnapshots(GROUP, "Auto", false).collectList().block(WAIT);
        assertEquals(T0.plus(Duration.ofHours(5)), snapshots.get(0).createdAt());
        assertEquals(3, snapshots.size());
        ExportJob newest = client.listExportJobs(GROUP, "Auto").collectList().block(WAIT).stream()
                .filter(job -> snapshots.get(0).id().equals(job.snapshotId()))
                .findFirst().orElseThrow();
        assertEquals("Successful", newest.state());
        assertEquals(snapshots.get(0).createdAt().plus(Duration.ofMinutes(1)), newest.createdAt());
        assertEquals(List.of(), client.listExportJobs(GROUP, "Shards").collectList().block(WAIT),
                "a stopped auto-export exports nothing, whatever the schedule says");
    }
}
