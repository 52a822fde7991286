package io.github.atlasexport.state;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.TrackedJob;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateDeltaUnitTests {
    private static final ClusterKey A = new ClusterKey("5f0a1b2c3d4e5f6a7b8c9d0e", "A");
    private static final ClusterKey B = new ClusterKey("5f0a1b2c3d4e5f6a7b8c9d0e", "B");
    private static final Instant T0 = Instant.parse("2026-12-06T07:00:00Z");

    private static TrackedJob job(String id, String state) {
        return new TrackedJob(new ExportJob(id, null, null, T0, null, null, state, null, null, null, null, null),
                T0, T0, T0, false);
    }

    private static ClusterSnapshot cluster(ClusterKey key, Instant at, TrackedJob... jobs) {
        Map<String, TrackedJob> byId = new LinkedHashMap<>();
        for (TrackedJob job : jobs) {
            byId.put(job.id(), job);
        }
        return new ClusterSnapshot(key, byId, at);
    }

    @Test
    void theSameStateWritesNothingEvenThroughEqualCopies() {
        TrackedJob j1 = job("j1", "Queued");
        PersistedState state = new PersistedState(Map.of(A, cluster(A, T0, j1)), Map.of("outbox", Map.of("k", List.of(1))));
        PersistedState copy = new PersistedState(Map.of(A, cluster(A, T0, job("j1", "Queued"))),
                Map.of("outbox", Map.of("k", List.of(1))));
        assertTrue(StateDelta.between(state, state).isEmpty());
        assertTrue(StateDelta.between(state, copy).isEmpty());
    }

    @Test
    void oneChangedJobOfAClusterIsOneRow() {
        TrackedJob j1 = job("j1", "Queued");
        TrackedJob j2 = job("j2", "Queued");
        PersistedState before = new PersistedState(Map.of(A, cluster(A, T0, j1, j2)), Map.of());
        PersistedState after = new PersistedState(Map.of(A, cluster(A, T0, j1, job("j2", "InProgress"))), Map.of());
        StateDelta delta = StateDelta.between(before, after);
        assertEquals(1, delta.rows());
        assertEquals("InProgress", delta.jobs().get(0).job().state());
        assertFalse(delta.touchesDocuments());
    }

    @Test
    void aPollOnlyMovesTheClustersClockAndJobsThatLeaveAreDeleted() {
        TrackedJob j1 = job("j1", "Successful");
        PersistedState before = new PersistedState(Map.of(A, cluster(A, T0, j1, job("old", "Failed"))), Map.of());
        PersistedState after = new PersistedState(Map.of(A, new ClusterSnapshot(A, Map.of("j1", j1), T0.plusSeconds(60), T0)),
                Map.of());
        StateDelta delta = StateDelta.between(before, after);
        assertEquals(List.of(new StateDelta.ClusterRow(A, T0.plusSeconds(60), T0)), delta.clusters());
        assertEquals(List.of(new StateDelta.JobKey(A, "old")), delta.removedJobs());
        assertEquals(2, delta.rows());
    }

    @Test
    void clustersAndDocumentsComeAndGo() {
        PersistedState before = new PersistedState(Map.of(A, cluster(A, T0, job("j1", "Queued"))),
                Map.of("outbox", Map.of("delivered", "n1")));
        PersistedState after = new PersistedState(Map.of(B, cluster(B, null)),
                Map.of("outbox", Map.of("new", "n2"), "alert-rules", Map.of(B.toString(), "rules")));
        StateDelta delta = StateDelta.between(before, after);
        assertEquals(List.of(A), delta.removedClusters());
        assertEquals(List.of(new StateDelta.ClusterRow(B, null, null)), delta.clusters());
        assertEquals(List.of(new StateDelta.DocumentKey("outbox", "delivered")), delta.removedDocuments());
        assertEquals(2, delta.documents().size());
        assertTrue(delta.touchesDocuments());
    }
}
