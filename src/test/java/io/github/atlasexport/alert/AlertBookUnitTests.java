package io.github.atlasexport.alert;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.JobEvent;
import io.github.atlasexport.monitor.Observation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.github.atlasexport.alert.AlertFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-cluster book is held equal to the rules applied to one global state, which it replaces for speed. */
class AlertBookUnitTests {
    static final Instant T11 = T0.plus(Duration.ofMinutes(11));
    static final Instant T12 = T0.plus(Duration.ofMinutes(12));

    /** Two clusters: a job alert fired once, a stuck job resolved when it leaves, a cluster down and up. */
    static List<Observation> story() {
        ExportJob failed = failedJob("j1");
        ExportJob running = job("j2", "InProgress");
        return List.of(
                ok(T0, List.of(changed(failed, "InProgress", T0)), failed),
                ok(OTHER, T0, List.of(new JobEvent.StuckDetected(OTHER, tracked(running), Duration.ofHours(7), T0)),
                        running),
                failed(T0.plus(Duration.ofMinutes(1))),
                failed(T11),
                ok(OTHER, T11, List.of(new JobEvent.JobLeft(OTHER, tracked(running), T11))),
                ok(T12, List.of(), failed));
    }

    @Test
    void evaluatesEachObservationAsTheRulesDoOnOneGlobalState() {
        AlertState global = AlertState.empty();
        AlertBook book = AlertBook.of(AlertState.empty());
        List<String> sent = new ArrayList<>();
        for (Observation observation : story()) {
            RuleResult expected = AlertRules.evaluate(global, observation, observation.at(), ALERTS, STUCK);
            AlertBook.Change change = book.evaluate(observation, observation.at(), ALERTS, STUCK);
            change.notices().forEach(n -> sent.add(n.alertname() + " " + n.status().wire()));

            assertEquals(expected.notices(), change.notices(), "notices after " + observation.at());
            assertEquals(!expected.next().equals(global), change.changed(), "changed after " + observation.at());
            global = expected.next();
            assertEquals(global, AlertState.merge(book.partsByCluster().values()), "state after " + observation.at());
            assertEquals(global.activeAlerts(), book.activeAlerts());
        }
        assertEquals(List.of("AtlasExportJobFailed firing", "AtlasExportJobStuck firing", "AtlasExportTargetDown firing",
                "AtlasExportJobStuck resolved", "AtlasExportTargetDown resolved"), sent, "the story exercises every path");
        assertEquals(Set.of(CLUSTER, OTHER), book.clusters());
    }

    @Test
    void forgettingAClusterMatchesTheRulesAndKeepsItsOnceOnlyMarks() {
        AlertBook book = AlertBook.of(AlertState.empty());
        AlertState global = AlertState.empty();
        for (Observation observation : story().subList(0, 4)) {
            book.evaluate(observation, observation.at(), ALERTS, STUCK);
            global = AlertRules.evaluate(global, observation, observation.at(), ALERTS, STUCK).next();
        }
        RuleResult expected = AlertRules.forgetCluster(global, CLUSTER, T12);
        AlertBook.Change change = book.forget(CLUSTER, T12);

        assertEquals(expected.notices(), change.notices());
        assertTrue(change.changed());
        assertEquals(expected.next(), AlertState.merge(book.partsByCluster().values()));
        assertEquals(Set.of(OTHER), book.clusters(), "a forgotten cluster is no longer watched");
        assertTrue(AlertState.merge(book.partsByCluster().values()).fired().contains("AtlasExportJobFailed/" + GROUP + "/Cluster0/j1"),
                "its job alerts still fire only once should it come back");
    }

    @Test
    void aRestoredStateIsCutPerClusterAndMergedBackWhole() {
        AlertBook book = AlertBook.of(AlertState.empty());
        story().forEach(observation -> book.evaluate(observation, observation.at(), ALERTS, STUCK));
        AlertState whole = AlertState.merge(book.partsByCluster().values());

        Map<ClusterKey, AlertState> parts = whole.byCluster();
        assertEquals(Set.of(CLUSTER, OTHER), parts.keySet());
        parts.forEach((cluster, part) -> part.active().keySet().forEach(key ->
                assertEquals(cluster, AlertRules.clusterOf(key))));
        assertEquals(whole, AlertState.merge(parts.values()));
        assertEquals(whole, AlertState.merge(AlertBook.of(whole).partsByCluster().values()));
    }

    @Test
    void keysNameTheirCluster() {
        ClusterKey cluster = new ClusterKey(GROUP, "Cluster-0");
        assertEquals(cluster, AlertRules.clusterOf("AtlasExportTargetDown/" + GROUP + "/Cluster-0"));
        assertEquals(cluster, AlertRules.clusterOf("AtlasExportJobFailed/" + GROUP + "/Cluster-0/j1"));
        assertEquals(cluster, AlertRules.clusterOf("AtlasExportJobStuck/" + GROUP + "/Cluster-0/j1/InProgress"));
        assertEquals(AlertRules.discoveryKey(GROUP), AlertRules.clusterOf("AtlasExportTargetDown/" + GROUP + "/"),
                "a project's discovery: the cluster name is empty");
        for (String bad : List.of("", "AtlasExportTargetDown", "AtlasExportTargetDown/" + GROUP,
                "AtlasExportTargetDown//Cluster-0", "/" + GROUP + "/Cluster-0")) {
            assertNull(AlertRules.clusterOf(bad), bad);
        }
    }

    @Test
    void aKeyOfNoClusterIsLeftOutOfTheCut() {
        AlertState state = new AlertState(Map.of(), Set.of("hand-edited", "AtlasExportJobFailed/" + GROUP + "/Cluster0/j1"),
                List.of());
        Map<ClusterKey, AlertState> parts = state.byCluster();
        assertEquals(Set.of(CLUSTER), parts.keySet());
        assertEquals(Set.of("AtlasExportJobFailed/" + GROUP + "/Cluster0/j1"), parts.get(CLUSTER).fired());
        assertFalse(AlertBook.of(state).clusters().contains(CLUSTER), "marks alone: not watched");
    }
}
