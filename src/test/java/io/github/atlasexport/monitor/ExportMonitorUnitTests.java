package io.github.atlasexport.monitor;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.config.MonitorConfig;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportMonitorUnitTests {
    static final String GROUP = "5f0a1b2c3d4e5f6a7b8c9d0e";
    static final ClusterKey CLUSTER0 = new ClusterKey(GROUP, "Cluster0");
    static final ClusterKey CLUSTER1 = new ClusterKey(GROUP, "Cluster1");
    static final MonitorConfig.Poll POLL = new MonitorConfig.Poll(Duration.ofSeconds(60), Duration.ofSeconds(15),
            Duration.ofDays(7));
    static final MonitorConfig.Stuck STUCK = new MonitorConfig.Stuck(Duration.ofHours(6), Duration.ofHours(1), "warning");

    final ScriptedAtlasClient atlas = new ScriptedAtlasClient();
    final List<ClusterKey> gone = new CopyOnWriteArrayList<>();

    static ExportJob job(String id, String state) {
        return new ExportJob(id, "snap", "bucket", Instant.EPOCH, null, "prefix", state, null, null, null, null, null);
    }

    ExportMonitor monitor(VirtualTimeScheduler clock, MonitorConfig.Target... targets) {
        return new ExportMonitor(atlas, List.of(targets), Map.of(), clock, Duration.ofMinutes(10), () -> 0.5, gone::add);
    }

    static MonitorConfig.Target target(List<String> clusters) {
        return new MonitorConfig.Target(GROUP, clusters, POLL, STUCK);
    }

    @Test
    void idleClusterIsPolledAtTheIntervalAndActiveOneAtTheActiveInterval() {
        atlas.jobs.put(CLUSTER0, List.of(job("a", "Successful")));
        atlas.jobs.put(CLUSTER1, List.of(job("b", "InProgress")));
        StepVerifier.withVirtualTime(() -> monitor(VirtualTimeScheduler.get(), target(List.of("Cluster0", "Cluster1")))
                        .observations())
                .expectNextCount(2)                       // both polled at once
                .expectNoEvent(Duration.ofSeconds(15))
                .expectNextMatches(o -> o.cluster().equals(CLUSTER1)) // active: 15 s
                .thenAwait(Duration.ofSeconds(15))
                .expectNextMatches(o -> o.cluster().equals(CLUSTER1))
                .thenAwait(Duration.ofSeconds(15))
                .expectNextMatches(o -> o.cluster().equals(CLUSTER1))
                .thenAwait(Duration.ofSeconds(15))        // t=60: both
                .expectNextCount(2)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertEquals(2, atlas.callsFor(CLUSTER0));
        assertEquals(5, atlas.callsFor(CLUSTER1));
    }

    @Test
    void aFailingClusterIsAnObservationAndDoesNotStopTheOthers() {
        atlas.failing.put(CLUSTER0, 500);
        atlas.jobs.put(CLUSTER1, List.of(job("b", "Queued")));
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        List<Observation> seen = new CopyOnWriteArrayList<>();
        var subscription = monitor(clock, target(List.of("Cluster0", "Cluster1"))).observations().subscribe(seen::add);
        try {
            clock.advanceTimeBy(Duration.ofSeconds(61));
        } finally {
            subscription.dispose();
            clock.dispose();
        }
        assertTrue(seen.stream().filter(o -> o.cluster().equals(CLUSTER0)).noneMatch(Observation::succeeded));
        assertEquals(2, seen.stream().filter(o -> o.cluster().equals(CLUSTER0)).count());
        assertEquals(5, seen.stream().filter(o -> o.cluster().equals(CLUSTER1) && o.succeeded()).count(),
                "the healthy cluster keeps its 15 s active schedule");
    }

    @Test
    void stateChangeBetweenPollsBecomesOneEvent() {
        atlas.jobs.put(CLUSTER0, List.of(job("a", "InProgress")));
        StepVerifier.withVirtualTime(() -> monitor(VirtualTimeScheduler.get(), target(List.of("Cluster0")))
                        .observations())
                .assertNext(o -> assertEquals(1, o.events().size()))
                .then(() -> atlas.jobs.put(CLUSTER0, List.of(job("a", "Failed"))))
                .thenAwait(Duration.ofSeconds(15))
                .assertNext(o -> {
                    assertEquals(1, o.events().size());
                    JobEvent.StateChanged change = (JobEvent.StateChanged) o.events().get(0);
                    assertEquals("InProgress", change.previousState());
                    assertEquals("Failed", change.job().state());
                })
                .thenAwait(Duration.ofSeconds(60))
                .assertNext(o -> assertTrue(o.events().isEmpty()))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void discoveryStartsAndStopsClusterLoopsAndReadinessWaitsForFirstPolls() {
        atlas.clusters.put(GROUP, List.of("Cluster0"));
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        ExportMonitor monitor = monitor(clock, target(List.of()));
        List<Observation> seen = new CopyOnWriteArrayList<>();
        assertFalse(monitor.ready());
        var subscription = monitor.observations().subscribe(seen::add);
        try {
            clock.advanceTime();
            assertTrue(monitor.ready());
            assertEquals(1, seen.size());
            atlas.clusters.put(GROUP, List.of("Cluster0", "Cluster1"));
            clock.advanceTimeBy(Duration.ofMinutes(10));
            assertTrue(seen.stream().anyMatch(o -> o.cluster().equals(CLUSTER1)));
            atlas.clusters.put(GROUP, List.of("Cluster1"));
            clock.advanceTimeBy(Duration.ofMinutes(10));
            assertEquals(List.of(CLUSTER0), gone);
            long cluster0Polls = atlas.callsFor(CLUSTER0);
            clock.advanceTimeBy(Duration.ofMinutes(5));
            assertEquals(cluster0Polls, atlas.callsFor(CLUSTER0), "no more polls of a cluster that went away");
        } finally {
            subscription.dispose();
            clock.dispose();
        }
    }

    @Test
    void aSavedClusterMissingFromTheFirstDiscoveryIsReportedGone() {
        atlas.clusters.put(GROUP, List.of("Cluster1"));
        ClusterKey otherProject = new ClusterKey("65aa00bb11cc22dd33ee44ff", "Cluster0");
        Map<ClusterKey, ClusterSnapshot> saved = Map.of(CLUSTER0, ClusterSnapshot.empty(CLUSTER0),
                CLUSTER1, ClusterSnapshot.empty(CLUSTER1), otherProject, ClusterSnapshot.empty(otherProject));
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        ExportMonitor monitor = new ExportMonitor(atlas, List.of(target(List.of())), saved, clock,
                Duration.ofMinutes(10), () -> 0.5, gone::add);
        var subscription = monitor.observations().subscribe();
        try {
            clock.advanceTime();
            assertTrue(monitor.ready());
            assertEquals(List.of(CLUSTER0), gone, "only the discovered project's missing cluster");
            clock.advanceTimeBy(Duration.ofMinutes(10));
            assertEquals(List.of(CLUSTER0), gone, "reported once, at the first discovery");
            assertEquals(0, atlas.callsFor(CLUSTER0));
        } finally {
            subscription.dispose();
            clock.dispose();
        }
    }

    @Test
    void jitterSpreadsTheDelayByAtMostTenPercent() {
        ClusterSnapshot idle = ClusterSnapshot.empty(CLUSTER0);
        assertEquals(Duration.ofSeconds(54), PollSchedule.nextDelay(idle, POLL, () -> 0.0));
        assertEquals(Duration.ofSeconds(66), PollSchedule.nextDelay(idle, POLL, () -> 1.0));
        assertEquals(Duration.ofSeconds(60), PollSchedule.nextDelay(idle, POLL, () -> 0.5));
    }
}
