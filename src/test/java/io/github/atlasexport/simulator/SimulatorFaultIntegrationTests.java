package io.github.atlasexport.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.github.atlasexport.simulator.SimHttp.V2;
import static io.github.atlasexport.simulator.SimulatorIntegrationTests.CLUSTER0;
import static io.github.atlasexport.simulator.SimulatorIntegrationTests.PAYMENTS;
import static io.github.atlasexport.simulator.SimulatorIntegrationTests.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rate limiting and every fault kind, over real HTTP, set from Java and through {@code /__sim/faults}. */
class SimulatorFaultIntegrationTests {
    private static final String ANALYTICS = BuiltInScenario.ANALYTICS;
    private static final String JOBS = "/api/atlas/v2" + CLUSTER0;

    private AtlasSimulator sim;
    private SimHttp http;
    private String token;

    @BeforeEach
    void start() {
        sim = AtlasSimulator.start("127.0.0.1", 0, Scenario.builtIn().withRateLimit(Scenario.RateLimit.perMinute(60, 3)),
                SimClock.startingAt(T0));
        http = new SimHttp(sim.baseUrl());
        token = http.token("sim-client", "sim-secret");
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private SimHttp.Resp get(String uri) {
        return http.bearerGet(token, uri, V2);
    }

    @Test
    void theTokenBucketPerProjectAnswersTheDocumented429AndEveryAnswerCarriesTheBudget() {
        for (int i = 0; i < 3; i++) {
            SimHttp.Resp ok = get(JOBS);
            assertEquals(200, ok.status());
            assertEquals("60", ok.headers().get("RateLimit-Limit"));
            assertEquals(Integer.toString(2 - i), ok.headers().get("RateLimit-Remaining"));
        }
        SimHttp.Resp limited = get(JOBS);
        assertEquals(429, limited.status());
        assertEquals("1", limited.headers().get("Retry-After"));
        assertEquals("0", limited.headers().get("RateLimit-Remaining"));
        assertTrue(limited.headers().get("Content-Type").startsWith("application/json"));
        JsonNode error = limited.json();
        assertEquals("RATE_LIMITED_TOKEN_BUCKET", error.get("errorCode").asText());
        JsonNode parameters = error.get("parameters");
        assertEquals(5, parameters.size(), "endpoint, seconds to wait, capacity, refill, period: " + parameters);
        assertTrue(parameters.get(0).asText().startsWith("api/atlas/v2/groups/"), parameters.toString());
        assertEquals(List.of(1, 3, 60, 60), List.of(parameters.get(1).asInt(), parameters.get(2).asInt(),
                parameters.get(3).asInt(), parameters.get(4).asInt()));
        assertEquals(200, get("/api/atlas/v2/groups/" + ANALYTICS + "/clusters").status(), "another project has its own bucket");
        assertEquals(200, get("/api/atlas/v2/groups").status(), "calls outside a project are not limited");
        sim.advance(Duration.ofSeconds(1));
        assertEquals(200, get(JOBS).status());
    }

    @Test
    void aScenarioCanLeaveRetryAfterOutOfThe429() {
        sim.close();
        sim = AtlasSimulator.start("127.0.0.1", 0,
                Scenario.builtIn().withRateLimit(new Scenario.RateLimit(60, 1, false)), SimClock.startingAt(T0));
        http = new SimHttp(sim.baseUrl());
        token = http.token("sim-client", "sim-secret");
        assertEquals(200, get(JOBS).status());

        SimHttp.Resp limited = get(JOBS);

        assertEquals(429, limited.status());
        assertEquals(null, limited.headers().get("Retry-After"));
        assertEquals(1, limited.json().get("parameters").get(1).asInt(), "the body still names the wait");
    }

    @Test
    void errorFaultsAnswer5xxForTheirScopeAndCount() {
        sim.setFaults(List.of(Fault.unavailable(Duration.ofSeconds(2)).times(1), Fault.error(500).forGroup(ANALYTICS)));
        SimHttp.Resp unavailable = get(JOBS);
        assertEquals(503, unavailable.status());
        assertEquals("2", unavailable.headers().get("Retry-After"));
        assertEquals("SERVICE_UNAVAILABLE", unavailable.json().get("errorCode").asText());
        assertEquals(200, get(JOBS).status());
        SimHttp.Resp broken = get("/api/atlas/v2/groups/" + ANALYTICS + "/clusters");
        assertEquals(500, broken.status());
        assertEquals(500, broken.json().get("error").asInt());
        assertEquals(List.of(Fault.error(500).forGroup(ANALYTICS)), sim.faults());
    }

    @Test
    void aResetFaultClosesTheConnectionUnanswered() {
        sim.setFaults(List.of(Fault.reset().forCluster(PAYMENTS, "Cluster0").times(1)));
        sim.resetCounters();
        assertThrows(RuntimeException.class, () -> get(JOBS));
        assertEquals(200, get(JOBS).status());
        RequestCounts counts = sim.requestCounts();
        assertEquals(1, counts.countStatus(0));
        assertEquals(1, counts.count("GET", "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports", 200));
    }

    @Test
    void aMalformedFaultCutsA200Short() {
        sim.setFaults(List.of(Fault.malformed().times(1)));
        SimHttp.Resp cut = get(JOBS);
        assertEquals(200, cut.status());
        assertTrue(cut.body().startsWith("{\"links\""), cut.body());
        assertThrows(AssertionError.class, cut::json);
        get(JOBS).json();
    }

    @Test
    void aLatencyFaultDelaysTheAnswer() {
        sim.setFaults(List.of(Fault.latency(Duration.ofMillis(300))));
        long started = System.nanoTime();
        assertEquals(200, get(JOBS).status());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 300);
    }

    @Test
    void faultsAreSetListedAndClearedThroughTheControlApi() {
        SimHttp.Resp set = http.exchange("POST", "/__sim/faults", Map.of(),
                "{\"faults\": [{\"kind\": \"rateLimit\", \"retryAfter\": \"3s\", \"count\": 1}]}");
        assertEquals(200, set.status(), set.body());
        assertEquals("rateLimit", http.get("/__sim/faults", Map.of()).json().get("faults").get(0).get("kind").asText());
        SimHttp.Resp forced = get(JOBS);
        assertEquals(429, forced.status());
        assertEquals("3", forced.headers().get("Retry-After"));
        assertEquals("RATE_LIMITED_TOKEN_BUCKET", forced.json().get("errorCode").asText());
        assertEquals(3, forced.json().get("parameters").get(1).asInt());
        assertEquals(0, http.get("/__sim/faults", Map.of()).json().get("faults").size(), "the one 429 is spent");

        http.exchange("POST", "/__sim/faults", Map.of(), "{\"faults\": [{\"kind\": \"error\", \"status\": 503}]}");
        assertEquals(503, get(JOBS).status());
        assertEquals(200, http.exchange("DELETE", "/__sim/faults", Map.of(), null).status());
        assertEquals(200, get(JOBS).status());
        SimHttp.Resp bad = http.exchange("POST", "/__sim/faults", Map.of(), "{\"faults\": [{\"kind\": \"error\", \"status\": 404}]}");
        assertEquals(400, bad.status());
        assertTrue(bad.json().get("error").asText().contains("5xx"), bad.body());
    }

    @Test
    void requestCountsAreServedAndReset() {
        get(JOBS);
        JsonNode counts = http.get("/__sim/requests", Map.of()).json();
        assertEquals(2, counts.get("total").asInt(), "the token request and one list");
        assertEquals("/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports",
                counts.get("entries").get(0).get("route").asText());
        assertEquals(200, http.exchange("POST", "/__sim/reset-counters", Map.of(), null).status());
        assertEquals(0, sim.requestCounts().total());
    }
}
