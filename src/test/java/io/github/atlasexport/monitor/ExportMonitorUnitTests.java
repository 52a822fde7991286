package io.github.atlasexport.monitor;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.config.MonitorConfig;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

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
    final List<Discovery> discoveries = new CopyOnWriteArrayList<>();

    static ExportJob job(String id, String state) {
        return new ExportJob(id, "snap", "bucket", Instant.EPOCH, null, "prefix", state, null, null, null, null, null);
    }

    ExportMonitor monitor(VirtualTimeScheduler clock, MonitorConfig.Target... targets) {
        return new ExportMonitor(atlas, List.of(targets), Map.of(), clock, Duration.ofMinutes(10), () -> 0.5, gone::add,
                discoveries::add);
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
    void aFailedFirstDiscoveryIsRetriedAtTheActiveIntervalNotAfterAWholeRound() {
        atlas.clusters.put(GROUP, List.of("Cluster0"));
        atlas.failingDiscovery.add(GROUP);
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        ExportMonitor monitor = monitor(clock, target(List.of()));
        var subscription = monitor.observations().subscribe();
        try {
            clock.advanceTime();
            assertTrue(monitor.ready(), "ready means every target was tried, not that it succeeded");
            assertEquals(1, discoveries.size());
            assertFalse(discoveries.get(0).succeeded());
            clock.advanceTimeBy(Duration.ofSeconds(14));
            assertEquals(0, atlas.callsFor(CLUSTER0));
            atlas.failingDiscovery.clear();
            clock.advanceTimeBy(Duration.ofSeconds(1));
            assertEquals(1, atlas.callsFor(CLUSTER0), "discovered and polled 15 s after the failure");
            assertTrue(discoveries.get(discoveries.size() - 1).succeeded());
            assertTrue(monitor.ready());
            clock.advanceTimeBy(Duration.ofMinutes(10));
            assertEquals(List.of(), gone, "the next rounds find the same cluster");
        } finally {
            subscription.dispose();
            clock.dispose();
        }
    }

    @Test
    void savedClustersNoLongerThereAtStartAreReportedGone() {
        ClusterKey otherProject = new ClusterKey("5f0a1b2c3d4e5f6a7b8c9d0f", "Cluster0");
        Map<ClusterKey, ClusterSnapshot> saved = Map.of(
                CLUSTER0, ClusterSnapshot.empty(CLUSTER0),
                CLUSTER1, ClusterSnapshot.empty(CLUSTER1),
                otherProject, ClusterSnapshot.empty(otherProject));
        atlas.clusters.put(GROUP, List.of("Cluster1", "Cluster2"));
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        ExportMonitor monitor = new ExportMonitor(atlas, List.of(target(List.of())), saved, clock,
                Duration.ofMinutes(10), () -> 0.5, gone::add,
                discoveries::add);
        var subscription = monitor.observations().subscribe();
        try {
            clock.advanceTime();
            assertEquals(List.of(otherProject, CLUSTER0), gone, "a project no longer targeted, then a deleted cluster");
            assertTrue(monitor.ready());
        } finally {
            subscription.dispose();
            clock.dispose();
        }
    }

    @Test
    void aDiscoveredClusterTheClientRejectsIsAFailedPollAndTheOthersGoOn() {
        atlas.clusters.put(GROUP, List.of("Cluster0", "bad_name"));
        ClusterKey bad = new ClusterKey(GROUP, "bad_name");
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        ExportMonitor monitor = monitor(clock, target(List.of()));
        List<Observation> seen = new CopyOnWriteArrayList<>();
        var subscription = monitor.observations().subscribe(seen::add);
        try {
            clock.advanceTimeBy(Duration.ofSeconds(61));
        } finally {
            subscription.dispose();
            clock.dispose();
        }
        assertEquals(2, atlas.callsFor(CLUSTER0), "the good cluster keeps its schedule");
        List<Observation> ofBad = seen.stream().filter(o -> o.cluster().equals(bad)).toList();
        assertEquals(2, ofBad.size(), "the bad one too, each poll a failure");
        assertTrue(ofBad.stream().allMatch(o -> !o.succeeded() && o.error().getMessage().contains("does not match")));
        assertEquals(0, monitor.loopRestarts(), "a poll failure, not a loop that ended");
        assertTrue(monitor.ready());
    }

    @Test
    void aLoopThatFailsUnexpectedlyReportsItAndIsRestartedWithBackoff() {
        atlas.jobs.put(CLUSTER0, List.of(job("a", "Successful")));
        AtomicInteger draws = new AtomicInteger();
        DoubleSupplier random = () -> {
            if (draws.getAndIncrement() < 2) {
                throw new IllegalStateException("no randomness today");
            }
            return 0.5;
        };
        AtomicReference<ExportMonitor> monitor = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> {
                    monitor.set(new ExportMonitor(atlas, List.of(target(List.of("Cluster0"))), Map.of(),
                            VirtualTimeScheduler.get(), Duration.ofMinutes(10), random, gone::add, discoveries::add));
                    return monitor.get().observations();
                })
                .assertNext(o -> {
                    assertFalse(o.succeeded());
                    assertTrue(o.error().getMessage().contains("no randomness today"), o.error().getMessage());
                })
                .expectNoEvent(Duration.ofSeconds(1))   // restarted after 1 s, fails again
                .assertNext(o -> assertFalse(o.succeeded()))
                .expectNoEvent(Duration.ofSeconds(2))   // then after 2 s, and works
                .assertNext(o -> {
                    assertTrue(o.succeeded());
                    assertEquals(1, o.events().size(), "the job is not lost with the polls that failed");
                })
                .then(() -> assertEquals(2, monitor.get().loopRestarts()))
                .thenAwait(Duration.ofSeconds(60))
                .assertNext(o -> assertTrue(o.succeeded() && o.events().isEmpty()))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertEquals(4, atlas.callsFor(CLUSTER0));
    }

    @Test
    void restartBackoffDoublesUpToFiveMinutes() {
        assertEquals(Duration.ofSeconds(1), ExportMonitor.restartBackoff(0));
        assertEquals(Duration.ofSeconds(8), ExportMonitor.restartBackoff(3));
        assertEquals(Duration.ofMinutes(5), ExportMonitor.restartBackoff(9));
        assertEquals(Duration.ofMinutes(5), ExportMonitor.restartBackoff(Integer.MAX_VALUE));
    }

    @Test
    void pollingCountsAsStoppedWhenNoLoopTicksForFarLongerThanTheLongestInterval() {
        atlas.jobs.put(CLUSTER0, List.of(job("a", "Successful")));
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        ExportMonitor ticking = monitor(clock, target(List.of("Cluster0")));
        var subscription = ticking.observations().subscribe();
        try {
            clock.advanceTimeBy(Duration.ofHours(2));
            assertTrue(ticking.polling());
        } finally {
            subscription.dispose();
        }
        atlas.hanging.add(CLUSTER1);
        ExportMonitor stuck = monitor(clock, target(List.of("Cluster1")));
        subscription = stuck.observations().subscribe();
        try {
            clock.advanceTimeBy(ExportMonitor.MIN_STALL);
            assertTrue(stuck.polling(), "10 x 60 s is less than the 15 min floor");
            clock.advanceTimeBy(Duration.ofMillis(1));
            assertFalse(stuck.polling());
        } finally {
            subscription.dispose();
            clock.dispose();
        }
    }

    @Test
    void pollsOverPollsAtOnceWaitUnsubscribedUntilAPollEnds() {
        List<String> names = List.of("Cluster0", "Cluster1", "Cluster2");
        Map<ClusterKey, Sinks.Empty<Void>> answers = new HashMap<>();
        names.forEach(name -> {
            ClusterKey key = new ClusterKey(GROUP, name);
            answers.put(key, Sinks.empty());
            atlas.answerWhen.put(key, answers.get(key).asMono());
        });
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        ExportMonitor monitor = new ExportMonitor(atlas, List.of(target(names)), Map.of(), clock, Duration.ofMinutes(10),
                () -> 0.5, gone::add, discoveries::add, key -> true, 2);
        List<Observation> observed = new CopyOnWriteArrayList<>();
        var subscription = monitor.observations().subscribe(observed::add);
        try {
            clock.advanceTime();
            assertEquals(2, atlas.listCalls.size(), "all three are due, two may run: " + atlas.listCalls);
            ClusterKey first = atlas.listCalls.get(0);
            answers.get(first).tryEmitEmpty();
            clock.advanceTime();
            assertEquals(List.of(first), observed.stream().map(Observation::cluster).toList());
            assertEquals(3, Set.copyOf(atlas.listCalls).size(), "the poll that ended gave its slot to the third");
            answers.values().forEach(Sinks.Empty::tryEmitEmpty);
            clock.advanceTime();
            assertEquals(3, observed.size());
            assertTrue(monitor.ready());
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
