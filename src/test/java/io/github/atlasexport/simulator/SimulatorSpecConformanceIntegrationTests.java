package io.github.atlasexport.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.github.atlasexport.simulator.SimHttp.V2;
import static io.github.atlasexport.simulator.SimulatorIntegrationTests.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of answer the simulator gives on the export endpoints, checked against the JSON schemas
 * of Atlas's published v2 OpenAPI spec ({@link AtlasSpecSchemas}): pages, one job, a created job,
 * and each documented error status.
 */
class SimulatorSpecConformanceIntegrationTests {
    private static final String PAYMENTS = BuiltInScenario.PAYMENTS;
    private static final String EXPORTS = "/api/atlas/v2/groups/" + PAYMENTS + "/clusters/Cluster0/backup/exports";

    private AtlasSimulator sim;
    private SimHttp http;
    private String token;

    private void start(Scenario scenario) {
        sim = AtlasSimulator.start("127.0.0.1", 0, scenario, SimClock.startingAt(T0));
        http = new SimHttp(sim.baseUrl());
        token = http.token("sim-client", "sim-secret");
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void everyPageOfEveryClusterConformsWhateverTheOptions() {
        start(Scenario.builtIn());
        int jobs = 0;
        for (JsonNode project : ok(http.bearerGet(token, "/api/atlas/v2/groups", V2)).path("results")) {
            String groupId = project.path("id").asText();
            for (JsonNode cluster : ok(http.bearerGet(token, "/api/atlas/v2/groups/" + groupId + "/clusters", V2)).path("results")) {
                String list = "/api/atlas/v2/groups/" + groupId + "/clusters/" + cluster.path("name").asText() + "/backup/exports";
                for (String query : List.of("", "?itemsPerPage=2&pageNum=2", "?includeCount=false", "?pretty=true")) {
                    JsonNode page = ok(http.bearerGet(token, list + query, V2));
                    assertConforms(AtlasSpecSchemas.JOB_PAGE, page);
                    jobs += page.path("results").size();
                }
                JsonNode enveloped = ok(http.bearerGet(token, list + "?envelope=true", V2));
                assertEquals(200, enveloped.path("status").asInt(), enveloped.toString());
                assertConforms(AtlasSpecSchemas.JOB_PAGE, ((ObjectNode) enveloped.deepCopy()).without("status"));
            }
        }
        assertTrue(jobs > 20, "the built-in world has jobs in every state to check: " + jobs);
    }

    @Test
    void oneJobAndACreatedJobConform() {
        start(Scenario.builtIn());
        String id = ok(http.bearerGet(token, EXPORTS, V2)).path("results").get(0).path("id").asText();
        assertConforms(AtlasSpecSchemas.JOB, ok(http.bearerGet(token, EXPORTS + "/" + id, V2)));
        JsonNode enveloped = ok(http.bearerGet(token, EXPORTS + "/" + id + "?envelope=true&pretty=true", V2));
        assertEquals(200, enveloped.path("status").asInt());
        assertConforms(AtlasSpecSchemas.JOB, enveloped.path("content"));

        SimHttp.Resp created = create(createBody(snapshotOf("Cluster0"), bucket()));
        assertEquals(200, created.status(), created.body());
        assertConforms(AtlasSpecSchemas.JOB, created.json());
    }

    @Test
    void errorsOfEveryDocumentedStatusConform() {
        start(Scenario.builtIn().withRateLimit(Scenario.RateLimit.perMinute(1, 40)));
        assertError(400, http.bearerGet(token, "/api/atlas/v2/groups/xyz/clusters/Cluster0/backup/exports", V2));
        assertError(400, create("{\"exportBucketId\":\"" + bucket() + "\"}"));
        assertError(401, http.get(EXPORTS, Map.of("Accept", V2)));
        assertError(401, http.bearerGet("not-a-token", EXPORTS, V2));
        assertError(404, http.bearerGet(token, EXPORTS + "/" + "0".repeat(24), V2));
        assertError(404, create(createBody("a".repeat(24), bucket())));
        assertEquals(200, create(createBody(snapshotOf("Cluster0"), bucket())).status());
        assertError(409, create(createBody(snapshotOf("Cluster0"), bucket())));
        SimHttp.Resp limited;
        do {
            limited = http.bearerGet(token, EXPORTS, V2);
        } while (limited.status() == 200);
        assertError(429, limited);
    }

    private SimHttp.Resp create(String body) {
        return http.exchange("POST", EXPORTS, Map.of("Authorization", "Bearer " + token, "Accept", V2, "Content-Type", V2), body);
    }

    private static String createBody(String snapshotId, String bucketId) {
        return "{\"snapshotId\":\"" + snapshotId + "\",\"exportBucketId\":\"" + bucketId + "\"}";
    }

    /** The cluster's oldest snapshot: the newest is already being exported by the scenario's own jobs. */
    private String snapshotOf(String cluster) {
        JsonNode snapshots = ok(http.bearerGet(token, "/api/atlas/v2/groups/" + PAYMENTS + "/clusters/" + cluster
                + "/backup/snapshots", V2)).path("results");
        return snapshots.get(snapshots.size() - 1).path("id").asText();
    }

    private String bucket() {
        return ok(http.bearerGet(token, "/api/atlas/v2/groups/" + PAYMENTS + "/backup/exportBuckets", V2))
                .path("results").get(0).path("_id").asText();
    }

    private static JsonNode ok(SimHttp.Resp resp) {
        assertEquals(200, resp.status(), resp.body());
        return resp.json();
    }

    /** An error as the spec documents it: that status, {@code application/json}, an {@code ApiError} body saying the same status. */
    static void assertError(int status, SimHttp.Resp resp) {
        assertEquals(status, resp.status(), resp.body());
        assertEquals("application/json", resp.headers().get("Content-Type"), resp.body());
        JsonNode body = resp.json();
        assertConforms(AtlasSpecSchemas.API_ERROR, body);
        assertEquals(status, body.path("error").asInt(), resp.body());
        for (String field : List.of("detail", "reason", "parameters")) {
            assertTrue(body.has(field), field + " missing: " + resp.body());
        }
    }

    static void assertConforms(String schema, JsonNode body) {
        List<String> violations = AtlasSpecSchemas.violations(schema, body);
        assertTrue(violations.isEmpty(), schema + ": " + violations + "\n" + body.toPrettyString());
    }
}
