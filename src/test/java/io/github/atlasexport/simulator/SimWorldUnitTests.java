package io.github.atlasexport.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimWorldUnitTests {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private static SimWorld world(Scenario.ClusterSpec... clusters) {
        return WorldBuilder.build(new Scenario(List.of(new Scenario.ProjectSpec(null, "P", null, List.of(clusters))),
                null, null, null, null, null, null), T0);
    }

    @Test
    void jobsAreListedNewestFirstAndFoundById() {
        SimWorld world = world(Scenario.ClusterSpec.replicaSet("C", List.of(
                Scenario.JobSpec.of(Duration.ofHours(1), JobPlan.DEFAULT),
                Scenario.JobSpec.of(Duration.ofHours(3), JobPlan.DEFAULT),
                Scenario.JobSpec.of(Duration.ofHours(2), JobPlan.DEFAULT)), null));
        SimCluster cluster = world.projects().get(0).clusters().get(0);
        Page<SimJob> page = cluster.page(0, 2, T0);
        assertEquals(3, page.total());
        assertEquals(List.of(T0.minus(Duration.ofHours(1)), T0.minus(Duration.ofHours(2))),
                page.items().stream().map(SimJob::createdAt).toList());
        SimJob oldest = cluster.page(2, 2, T0).items().get(0);
        assertEquals(T0.minus(Duration.ofHours(3)), oldest.createdAt());
        assertTrue(oldest == cluster.find(oldest.id(), T0));
        assertNull(cluster.find("6560a1010000000000000001", T0));
        assertNull(cluster.find("not-an-id", T0));
    }

    @Test
    void churnCreatesJobsWhenLookedAtAndKeepsOnlyTheNewest() {
        Scenario.Churn churn = new Scenario.Churn(ofSeconds(60), ofSeconds(30), 5, List.of(
                JobPlan.DEFAULT, JobPlan.ending(JobPlan.Outcome.CANCELLED, ofSeconds(1), ofSeconds(1), 2)));
        SimCluster cluster = world(Scenario.ClusterSpec.replicaSet("C", List.of(), churn)).projects().get(0).clusters().get(0);
        assertEquals(0, cluster.page(0, 100, T0.plusSeconds(29)).total());
        assertEquals(1, cluster.page(0, 100, T0.plusSeconds(30)).total());
        Page<SimJob> later = cluster.page(0, 100, T0.plusSeconds(150));
        assertEquals(3, later.total());
        assertEquals(T0.plusSeconds(150), later.items().get(0).createdAt());
        // Plans are taken in turn: 1st default, 2nd cancelled, 3rd default.
        assertEquals("Cancelled", later.items().get(1).status(T0.plusSeconds(150)).state());
        Page<SimJob> dayLater = cluster.page(0, 100, T0.plus(Duration.ofDays(1)));
        assertEquals(5, dayLater.total());
        Set<String> ids = new HashSet<>();
        dayLater.items().forEach(j -> ids.add(j.id()));
        assertEquals(5, ids.size());
        Instant newest = dayLater.items().get(0).createdAt();
        assertTrue(!newest.isAfter(T0.plus(Duration.ofDays(1))) && newest.isAfter(T0.plus(Duration.ofDays(1)).minusSeconds(60)));
    }

    @Test
    void retentionDropsOnlyEndedJobsAsAtlasDoes() {
        Scenario.Churn churn = new Scenario.Churn(ofSeconds(60), ofSeconds(60), 2,
                List.of(JobPlan.succeeding(ofSeconds(1), Duration.ofHours(1), 2)));
        SimCluster cluster = world(Scenario.ClusterSpec.replicaSet("C", List.of(), churn)).projects().get(0).clusters().get(0);

        Page<SimJob> running = cluster.page(0, 100, T0.plus(Duration.ofMinutes(10)));
        assertEquals(10, running.total(), "a Queued or InProgress job is never dropped from the list");
        String oldest = running.items().get(9).id();
        assertNotNull(cluster.find(oldest, T0.plus(Duration.ofMinutes(30))));

        Page<SimJob> dayLater = cluster.page(0, 100, T0.plus(Duration.ofDays(1)));
        long live = dayLater.items().stream().filter(j -> j.status(T0.plus(Duration.ofDays(1))).finishedAt() == null).count();
        assertEquals(61, live, "the jobs of the last hour and a second are still running");
        assertTrue(dayLater.total() <= 63, "ended jobs are kept only up to keep: " + dayLater.total());
    }

    @Test
    void generatedWorldsHaveTheAskedSizeAndAreDeterministic() {
        Scenario scenario = new Scenario(null, null, null, null, null, null,
                new Scenario.Generate(3, 4, 5, 0.25, 7L, null));
        SimWorld world = WorldBuilder.build(scenario, T0);
        assertEquals(3, world.projects().size());
        assertEquals(12, world.clusterCount());
        assertEquals(3, world.projects().stream().flatMap(p -> p.clusters().stream()).filter(SimCluster::sharded).count());
        SimCluster cluster = world.projects().get(2).clusters().get(3);
        assertEquals(5, cluster.page(0, 100, T0).total());
        assertNotNull(world.cluster(world.projects().get(2).id(), "Cluster3"));
        SimWorld again = WorldBuilder.build(scenario, T0);
        List<String> states = cluster.page(0, 100, T0).items().stream().map(j -> j.status(T0).state()).toList();
        List<String> statesAgain = again.projects().get(2).clusters().get(3).page(0, 100, T0).items().stream()
                .map(j -> j.status(T0).state()).toList();
        assertEquals(states, statesAgain);
    }

    @Test
    void idsAreAtlasShapedAndReadBack() {
        String id = SimIds.of(SimIds.JOB, 0xabcL);
        assertTrue(Scenario.GROUP_ID.matcher(id).matches(), id);
        assertEquals(0xabcL, SimIds.serialOf(SimIds.JOB, id));
        assertEquals(-1, SimIds.serialOf(SimIds.PROJECT, id));
    }
}
