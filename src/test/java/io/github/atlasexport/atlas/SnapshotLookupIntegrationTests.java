package io.github.atlasexport.atlas;

import io.github.atlasexport.simulator.RequestCounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.time.Duration;

import static io.github.atlasexport.atlas.ExpectedAtlasError.atlasError;
import static io.github.atlasexport.atlas.SimulatedAtlas.API_KEY;
import static io.github.atlasexport.atlas.SimulatedAtlas.PAYMENTS;
import static io.github.atlasexport.atlas.SimulatedAtlas.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code getSnapshot} against the simulator: one GET, and a 404 once the snapshot has expired. */
class SnapshotLookupIntegrationTests {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private SimulatedAtlas atlas;

    @AfterEach
    void stop() {
        if (atlas != null) {
            atlas.close();
        }
    }

    @Test
    void getsOneSnapshotAndA404OnceItExpired() {
        atlas = SimulatedAtlas.start();
        AtlasClient client = atlas.client(API_KEY);
        String snapshotId = client.listExportJobs(PAYMENTS, "Cluster0").blockFirst(WAIT).snapshotId();

        Snapshot snapshot = client.getSnapshot(PAYMENTS, "Cluster0", snapshotId).block(WAIT);

        assertEquals(snapshotId, snapshot.id());
        assertNotNull(snapshot.createdAt());
        assertEquals("completed", snapshot.status());
        String endpoint = route(ApiVersion.V2, ReactorAtlasClient.SNAPSHOT);
        RequestCounts counts = atlas.sim.requestCounts();
        assertEquals(1, counts.count("GET", endpoint, 200), counts.toString());

        assertTrue(atlas.sim.removeSnapshot(PAYMENTS, "Cluster0", snapshotId));
        client.getSnapshot(PAYMENTS, "Cluster0", snapshotId)
                .as(StepVerifier::create)
                .expectErrorSatisfies(atlasError(404, "SNAPSHOT_NOT_FOUND", ReactorAtlasClient.SNAPSHOT))
                .verify(WAIT);
    }

    @Test
    void aSnapshotIdThatIsNotPathSafeIsRefusedBeforeAnythingIsSent() {
        atlas = SimulatedAtlas.start();
        AtlasClient client = atlas.client(API_KEY);

        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> client.getSnapshot(PAYMENTS, "Cluster0", "../exports"));
        assertTrue(e.getMessage().contains("snapshotId"), e.getMessage());
        assertEquals(0, atlas.sim.requestCounts().total());
    }
}
