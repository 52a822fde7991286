package io.github.atlasexport.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.github.atlasexport.simulator.SimHttp.V2;
import static io.github.atlasexport.simulator.SimulatorIntegrationTests.T0;
import static io.github.atlasexport.simulator.SimulatorSpecConformanceIntegrationTests.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code POST .../backup/exports} checked as Atlas checks it: the request body, the snapshot and bucket, a running twin. */
class SimulatorExportCreateIntegrationTests {
    private static final String ANALYTICS = BuiltInScenario.ANALYTICS;

    private AtlasSimulator sim;
    private SimHttp http;
    private String token;
    private String exports;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private void start() {
        sim = AtlasSimulator.start("127.0.0.1", 0, Scenario.builtIn(), SimClock.startingAt(T0));
        http = new SimHttp(sim.baseUrl());
        token = http.token("sim-client", "sim-secret");
        String cluster = http.bearerGet(token, "/api/atlas/v2/groups/" + ANALYTICS + "/clusters", V2)
                .json().path("results").get(0).path("name").asText();
        exports = "/api/atlas/v2/groups/" + ANALYTICS + "/clusters/" + cluster + "/backup/exports";
    }

    @Test
    void aBodyThatIsNotAnExportRequestIs400NamingTheAttribute() throws Exception {
        start();
        String snapshot = snapshot();
        String bucket = BuiltInScenario.ANALYTICS_BUCKET;
        String ids = "\"snapshotId\":\"" + snapshot + "\",\"exportBucketId\":\"" + bucket + "\"";
        record Bad(String body, String errorCode, String attribute) {
        }
        List<Bad> bads = List.of(
                new Bad("{" + ids + ",\"state\":\"Queued\"}", "INVALID_ATTRIBUTE", "state"),
                new Bad("{" + ids + ",\"customData\":{\"key\":\"k\"}}", "INVALID_JSON_ATTRIBUTE", "customData"),
                new Bad("{" + ids + ",\"customData\":[\"k=v\"]}", "INVALID_JSON_ATTRIBUTE", "customData[0]"),
                new Bad("{" + ids + ",\"customData\":[{\"key\":\"k\",\"value\":7}]}", "INVALID_JSON_ATTRIBUTE", "customData[0].value"),
                new Bad("{" + ids + ",\"customData\":[{\"key\":\"k\",\"colour\":\"red\"}]}", "INVALID_ATTRIBUTE", "customData[0].colour"),
                new Bad("{\"snapshotId\":42,\"exportBucketId\":\"" + bucket + "\"}", "INVALID_JSON_ATTRIBUTE", "snapshotId"),
                new Bad("{\"snapshotId\":\"" + snapshot + "\",\"exportBucketId\":\"bucket-1\"}", "INVALID_ATTRIBUTE", "exportBucketId"),
                new Bad("{\"exportBucketId\":\"" + bucket + "\"}", "MISSING_ATTRIBUTE", "snapshotId"));
        for (Bad bad : bads) {
            assertFalse(AtlasSpecSchemas.violations(AtlasSpecSchemas.JOB_REQUEST, SimJson.JSON.readTree(bad.body())).isEmpty(),
                    "the spec refuses it too: " + bad.body());
            SimHttp.Resp resp = create(bad.body());
            assertError(400, resp);
            assertEquals(bad.errorCode(), resp.json().path("errorCode").asText(), resp.body());
            assertEquals(bad.attribute(), resp.json().path("parameters").get(0).asText(), resp.body());
        }
        SimHttp.Resp readOnly = create("{" + ids + ",\"links\":[]}");
        assertError(400, readOnly);
        assertEquals("ATTRIBUTE_READ_ONLY", readOnly.json().path("errorCode").asText());
        assertEquals("links", readOnly.json().path("parameters").get(0).asText());
        assertEquals(0, sim.requestCounts().count("POST", "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports", 200));
    }

    @Test
    void aSnapshotOrBucketThatDoesNotExistIs404() {
        start();
        SimHttp.Resp noSnapshot = create(body("a".repeat(24), BuiltInScenario.ANALYTICS_BUCKET));
        assertError(404, noSnapshot);
        assertEquals("SNAPSHOT_NOT_FOUND", noSnapshot.json().path("errorCode").asText());
        SimHttp.Resp noBucket = create(body(snapshot(), "b".repeat(24)));
        assertError(404, noBucket);
        assertEquals("EXPORT_BUCKET_NOT_FOUND", noBucket.json().path("errorCode").asText());
    }

    @Test
    void aSnapshotAlreadyBeingExportedToTheBucketIs409UntilThatExportEnds() {
        start();
        String snapshot = snapshot();
        JsonNode first = ok(create(body(snapshot, BuiltInScenario.ANALYTICS_BUCKET)));
        SimHttp.Resp twin = create(body(snapshot, BuiltInScenario.ANALYTICS_BUCKET));
        assertError(409, twin);
        assertEquals("EXPORT_ALREADY_IN_PROGRESS", twin.json().path("errorCode").asText());
        assertEquals(List.of(snapshot, BuiltInScenario.ANALYTICS_BUCKET, first.path("id").asText()),
                SimJson.JSON.convertValue(twin.json().path("parameters"), List.class));
        ok(create(body(snapshot, BuiltInScenario.ANALYTICS_DR_BUCKET)));

        sim.advance(Duration.ofMinutes(2));
        assertEquals("Successful", ok(http.bearerGet(token, exports + "/" + first.path("id").asText(), V2)).path("state").asText());
        ok(create(body(snapshot, BuiltInScenario.ANALYTICS_BUCKET)));
    }

    /** The cluster's oldest snapshot: the newest is already being exported by the scenario's own jobs. */
    private String snapshot() {
        JsonNode snapshots = ok(http.bearerGet(token, exports.replace("/exports", "/snapshots"), V2)).path("results");
        return snapshots.get(snapshots.size() - 1).path("id").asText();
    }

    private static String body(String snapshotId, String bucketId) {
        return "{\"snapshotId\":\"" + snapshotId + "\",\"exportBucketId\":\"" + bucketId + "\"}";
    }

    private SimHttp.Resp create(String body) {
        return http.exchange("POST", exports, Map.of("Authorization", "Bearer " + token, "Accept", V2, "Content-Type", V2), body);
    }

    private static JsonNode ok(SimHttp.Resp resp) {
        assertEquals(200, resp.status(), resp.body());
        return resp.json();
    }
}
