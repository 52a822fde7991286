package io.github.atlasexport.simulator;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioParserUnitTests {

    private static ScenarioException failure(String yaml) {
        return assertThrows(ScenarioException.class, () -> Scenario.parse(yaml, "test.yaml"));
    }

    @Test
    void theShippedExampleParses() throws IOException {
        String yaml;
        try (InputStream in = getClass().getResourceAsStream("/scenarios/example.yaml")) {
            assertNotNull(in, "example.yaml on the classpath");
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Scenario scenario = Scenario.parse(yaml, "example.yaml");
        assertEquals(Duration.ofMinutes(5), scenario.nonceLifetime());
        assertEquals(new Scenario.RateLimit(120, 20), scenario.rateLimit());
        Scenario.ClusterSpec orders = scenario.projects().get(0).clusters().get(1);
        assertEquals(Scenario.ClusterType.SHARDED, orders.type());
        assertEquals(3, orders.shards());
        assertEquals(JobPlan.Outcome.HANG_QUEUED, orders.jobs().get(1).plan().outcome());
        Scenario.ClusterSpec cluster0 = scenario.projects().get(0).clusters().get(0);
        assertEquals(Duration.ofSeconds(60), cluster0.churn().every());
        assertEquals(JobPlan.Outcome.CANCELLED, cluster0.churn().plans().get(1).outcome());
        assertEquals(Fault.Kind.ERROR, scenario.faults().get(1).kind());
        assertEquals(Duration.ofSeconds(2), scenario.faults().get(1).retryAfter());
    }

    @Test
    void theBuiltInScenarioIsLively() {
        Scenario scenario = Scenario.builtIn();
        assertTrue(scenario.projects().size() >= 3);
        assertTrue(scenario.projects().stream().mapToLong(p -> p.clusters().size()).sum() >= 6);
        assertTrue(scenario.projects().stream().flatMap(p -> p.clusters().stream())
                .anyMatch(c -> c.type() == Scenario.ClusterType.SHARDED));
        for (JobPlan.Outcome outcome : JobPlan.Outcome.values()) {
            assertTrue(scenario.projects().stream().flatMap(p -> p.clusters().stream()).flatMap(c -> c.jobs().stream())
                    .anyMatch(j -> j.plan().outcome() == outcome), "a job ending " + outcome);
        }
        assertEquals("sim-public", scenario.credentials().digestKeys().get(0).publicKey());
        assertEquals("sim-client", scenario.credentials().serviceAccounts().get(0).clientId());
    }

    @Test
    void defaultsFillAMinimalScenario() {
        Scenario scenario = Scenario.parse("projects: [{name: P, clusters: [{name: C}]}]", "min.yaml");
        assertEquals(Duration.ofHours(1), scenario.tokenLifetime());
        assertEquals(Scenario.ClusterType.REPLICASET, scenario.projects().get(0).clusters().get(0).type());
        assertTrue(!scenario.rateLimit().enabled());
        assertEquals("sim-private", scenario.credentials().digestKeys().get(0).privateKey());
    }

    @Test
    void aBadEnumValueNamesItsField() {
        ScenarioException e = failure("projects: [{name: P, clusters: [{name: C}, {name: D, type: STAR}]}]");
        assertEquals("projects[0].clusters[1].type", e.field());
        assertTrue(e.getMessage().startsWith("test.yaml: projects[0].clusters[1].type:"), e.getMessage());
        assertTrue(e.problem().contains("STAR") && e.problem().contains("SHARDED"), e.problem());
    }

    @Test
    void aBadDurationNamesItsField() {
        ScenarioException e = failure("projects: [{name: P, clusters: [{name: C, jobs: [{plan: {runFor: soon}}]}]}]");
        assertEquals("projects[0].clusters[0].jobs[0].plan.runFor", e.field());
        assertTrue(e.problem().contains("soon"), e.problem());
    }

    @Test
    void anUnknownFieldIsNamedWithTheKnownOnes() {
        ScenarioException e = failure("nonceLifetme: 5m\nprojects: [{name: P}]");
        assertEquals("nonceLifetme", e.field());
        assertTrue(e.problem().contains("nonceLifetime"), e.problem());
    }

    @Test
    void recordValidationIsReportedAgainstTheRecord() {
        ScenarioException badId = failure("projects: [{id: XYZ, name: P}]");
        assertEquals("projects[0]", badId.field());
        assertTrue(badId.problem().startsWith("id:"), badId.problem());
        ScenarioException badFraction = failure("projects: [{name: P}]\nfaults: [{kind: reset, fraction: 2}]");
        assertEquals("faults[0]", badFraction.field());
        assertTrue(badFraction.problem().contains("fraction"), badFraction.problem());
        ScenarioException badKind = failure("projects: [{name: P}]\nfaults: [{kind: explode}]");
        assertTrue(badKind.field().startsWith("faults[0]"), badKind.field());
        assertTrue(badKind.problem().contains("rateLimit"), badKind.problem());
    }

    @Test
    void emptyOrWorldlessOrBrokenFilesAreRefused() {
        assertEquals("(root)", failure("").field());
        assertTrue(failure("nonceLifetime: 5m").problem().contains("at least one project"));
        assertTrue(failure("projects:\n  - name: P\n   bad: [").field().startsWith("line "), "syntax errors give a line");
        ScenarioException wrongKind = failure("projects: [just-a-name]");
        assertEquals("projects[0]", wrongKind.field());
        assertEquals("wrong kind of value, expected a mapping (ProjectSpec)", wrongKind.problem());
    }

    @Test
    void generateNeedsSizes() {
        ScenarioException e = failure("generate: {projects: 0, clustersPerProject: 2}");
        assertEquals("generate", e.field());
        assertTrue(e.problem().startsWith("projects:"), e.problem());
        Scenario ok = Scenario.parse("generate: {projects: 2, clustersPerProject: 3, jobsPerCluster: 4}", "gen.yaml");
        assertEquals(4, ok.generate().jobsPerCluster());
    }
}
