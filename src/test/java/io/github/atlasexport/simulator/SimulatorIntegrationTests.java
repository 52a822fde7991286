package io.github.atlasexport.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.github.atlasexport.simulator.SimHttp.V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulated Atlas API over real HTTP: curl with digest, a plain Reactor Netty client, the control API. */
class SimulatorIntegrationTests {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final String PAYMENTS = BuiltInScenario.PAYMENTS;
    static final String STAGING = BuiltInScenario.STAGING;
    static final String CLUSTER0 = "/groups/" + PAYMENTS + "/clusters/Cluster0/backup/exports";

    private AtlasSimulator sim;
    private SimHttp http;

    private void start(Scenario scenario) {
        sim = AtlasSimulator.start("127.0.0.1", 0, scenario, SimClock.startingAt(T0));
        http = new SimHttp(sim.baseUrl());
    }

    /** Starts the built-in scenario; answers a bearer token of its service account. */
    private String startBuiltIn() {
        start(Scenario.builtIn());
        return http.token("sim-client", "sim-secret");
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void controlApiListsItsRoutesAndEveryListedReadAnswers() {
        start(Scenario.builtIn());
        JsonNode routes = http.get("/__sim/", Map.of()).json().get("routes");
        assertEquals(ControlApi.ROUTES.size(), routes.size());
        int reads = 0;
        for (JsonNode route : routes) {
            assertFalse(route.get("description").asText().isBlank(), route.toString());
            if (route.get("method").asText().equals("GET")) {
                assertEquals(200, http.get(route.get("path").asText(), Map.of()).status(), route.toString());
                reads++;
            }
        }
        assertEquals(3, reads, "state, faults and requests");
    }

    @Test
    void curlDigestReadsBothApiVersions() throws Exception {
        start(Scenario.builtIn());
        Curl groups = curl("--digest", "-u", "sim-public:sim-private", "-H", "Accept: " + V2, sim.baseUrl() + "/api/atlas/v2/groups");
        assertEquals(200, groups.status(), groups.body());
        JsonNode body = SimJson.JSON.readTree(groups.body());
        assertEquals(3, body.get("totalCount").asInt());
        assertEquals("Payments", body.get("results").get(0).get("name").asText());
        Curl v1 = curl("--digest", "-u", "sim-public:sim-private",
                sim.baseUrl() + "/api/atlas/v1.0" + CLUSTER0 + "?itemsPerPage=2");
        assertEquals(200, v1.status(), v1.body());
        assertEquals(2, SimJson.JSON.readTree(v1.body()).get("results").size());
        RequestCounts counts = sim.requestCounts();
        assertEquals(2, counts.challenges());
        assertEquals(1, counts.count("GET", "/api/atlas/v2/groups", 401));
        assertEquals(1, counts.count("GET", "/api/atlas/v2/groups", 200));
        assertEquals(4, counts.total());
    }

    @Test
    void curlWithAWrongPrivateKeyGetsAnAtlasStyle401() throws Exception {
        start(Scenario.builtIn());
        Curl denied = curl("--digest", "-u", "sim-public:wrong", "-H", "Accept: " + V2, sim.baseUrl() + "/api/atlas/v2/groups");
        assertEquals(401, denied.status());
        JsonNode error = SimJson.JSON.readTree(denied.body());
        assertEquals(401, error.get("error").asInt());
        assertEquals("UNAUTHORIZED", error.get("errorCode").asText());
        assertEquals("Unauthorized", error.get("reason").asText());
        assertEquals(2, sim.requestCounts().challenges());
    }

    @Test
    void digestNoncesAreReusedWithIncreasingNcAndGoStale() {
        start(Scenario.builtIn().withNonceLifetime(Duration.ofSeconds(30)));
        String uri = "/api/atlas/v2/groups";
        SimHttp.Resp challenge = http.get(uri, Map.of("Accept", V2));
        assertEquals(401, challenge.status());
        SimHttp.DigestNonce nonce = new SimHttp.DigestNonce(challenge.headers().get("WWW-Authenticate"));
        assertEquals(200, digestGet(uri, nonce.authorization("sim-public", "sim-private", "GET", uri)).status());
        String second = nonce.authorization("sim-public", "sim-private", "GET", uri);
        assertEquals(200, digestGet(uri, second).status());
        SimHttp.Resp replay = digestGet(uri, second);
        assertEquals(401, replay.status());
        assertTrue(replay.headers().get("WWW-Authenticate").endsWith("stale=false"));

        sim.advance(Duration.ofSeconds(31));
        SimHttp.Resp stale = digestGet(uri, nonce.authorization("sim-public", "sim-private", "GET", uri));
        assertEquals(401, stale.status());
        String fresh = stale.headers().get("WWW-Authenticate");
        assertTrue(fresh.contains("stale=true"), fresh);
        SimHttp.DigestNonce renewed = new SimHttp.DigestNonce(fresh);
        assertEquals(200, digestGet(uri, renewed.authorization("sim-public", "sim-private", "GET", uri)).status());
    }

    @Test
    void oauthTokensAreAcceptedUntilTheyExpireOrAreRevoked() {
        start(Scenario.builtIn());
        SimHttp.Resp issued = http.exchange("POST", "/api/oauth/token", Map.of("Authorization", SimHttp.basic("sim-client", "sim-secret"),
                "Content-Type", "application/x-www-form-urlencoded"), "grant_type=client_credentials");
        assertEquals(200, issued.status());
        assertEquals("Bearer", issued.json().get("token_type").asText());
        assertEquals(3600, issued.json().get("expires_in").asInt());
        String token = issued.json().get("access_token").asText();
        assertEquals(200, http.bearerGet(token, "/api/atlas/v2/groups", V2).status());

        SimHttp.Resp badClient = http.exchange("POST", "/api/oauth/token", Map.of("Authorization", SimHttp.basic("sim-client", "nope"),
                "Content-Type", "application/x-www-form-urlencoded"), "grant_type=client_credentials");
        assertEquals(401, badClient.status());
        assertEquals("invalid_client", badClient.json().get("error").asText());
        SimHttp.Resp badGrant = http.exchange("POST", "/api/oauth/token", Map.of("Authorization", SimHttp.basic("sim-client", "sim-secret"),
                "Content-Type", "application/x-www-form-urlencoded"), "grant_type=password");
        assertEquals(400, badGrant.status());

        sim.advance(Duration.ofSeconds(3601));
        SimHttp.Resp expired = http.bearerGet(token, "/api/atlas/v2/groups", V2);
        assertEquals(401, expired.status());
        assertEquals("INVALID_ACCESS_TOKEN", expired.json().get("errorCode").asText());
        assertTrue(expired.json().get("detail").asText().contains("expired"));

        String second = http.token("sim-client", "sim-secret");
        SimHttp.Resp revoked = http.exchange("POST", "/api/oauth/revoke", Map.of("Authorization", SimHttp.basic("sim-client", "sim-secret"),
                "Content-Type", "application/x-www-form-urlencoded"), "token=" + second);
        assertEquals(200, revoked.status());
        assertEquals(401, http.bearerGet(second, "/api/atlas/v2/groups", V2).status());
    }

    @Test
    void discoveryListsProjectsAndTypedClusters() {
        String token = startBuiltIn();
        JsonNode clusters = http.bearerGet(token, "/api/atlas/v2/groups/" + PAYMENTS + "/clusters", V2).json();
        assertEquals(3, clusters.get("totalCount").asInt()); // Cluster0, Ledger, Orders
        assertEquals("Cluster0", clusters.get("results").get(0).get("name").asText());
        assertEquals("REPLICASET", clusters.get("results").get(0).get("clusterType").asText());
        assertEquals("SHARDED", clusters.get("results").get(1).get("clusterType").asText());
        assertEquals(PAYMENTS, clusters.get("results").get(1).get("groupId").asText());

        JsonNode ledger = http.bearerGet(token, "/api/atlas/v2/groups/" + PAYMENTS + "/clusters/Ledger/backup/exports", V2).json();
        JsonNode sharded = ledger.get("results").get(0);
        assertEquals(3, sharded.get("components").size());
        assertTrue(sharded.get("components").get(0).has("replicaSetName"));
        assertFalse(sharded.has("exportStatus"));
        JsonNode replicaSet = http.bearerGet(token, "/api/atlas/v2" + CLUSTER0, V2).json().get("results").get(0);
        assertTrue(replicaSet.get("exportStatus").has("totalCollections"));
        assertFalse(replicaSet.has("components"));
        assertTrue(replicaSet.get("links").get(0).get("href").asText().startsWith(sim.baseUrl() + "/api/atlas/v2/groups/"));
    }

    @Test
    void pagesWalkTheWholeListNewestFirst() {
        String token = startBuiltIn();
        String newest = null;
        for (int i = 0; i < 7; i++) {
            newest = sim.addJob(STAGING, "Archive", JobPlan.DEFAULT);
        }
        String list = "/api/atlas/v2/groups/" + STAGING + "/clusters/Archive/backup/exports?itemsPerPage=3&pageNum=";
        Set<String> ids = new HashSet<>();
        List<Integer> sizes = new ArrayList<>();
        for (int page = 1; page <= 4; page++) {
            JsonNode body = http.bearerGet(token, list + page, V2).json();
            assertEquals(8, body.get("totalCount").asInt());
            sizes.add(body.get("results").size());
            body.get("results").forEach(j -> ids.add(j.get("id").asText()));
            if (page == 1) {
                assertEquals(newest, body.get("results").get(0).get("id").asText());
                assertTrue(body.get("links").toString().contains("\"rel\":\"next\""));
            }
            if (page == 3) {
                assertFalse(body.get("links").toString().contains("\"rel\":\"next\""));
            }
        }
        assertEquals(List.of(3, 3, 2, 0), sizes);
        assertEquals(8, ids.size());
        assertFalse(http.bearerGet(token, list + "1&includeCount=false", V2).json().has("totalCount"));
    }

    @Test
    void pageSizesOutOfRangeAreRefusedNamingTheParameter() {
        String token = startBuiltIn();
        for (String size : List.of("0", "501")) {
            SimHttp.Resp resp = http.bearerGet(token, "/api/atlas/v2" + CLUSTER0 + "?itemsPerPage=" + size, V2);
            assertEquals(400, resp.status());
            JsonNode error = resp.json();
            assertEquals("INVALID_QUERY_PARAMETER", error.get("errorCode").asText());
            assertTrue(error.get("detail").asText().contains("itemsPerPage"));
            assertEquals("itemsPerPage", error.get("parameters").get(0).asText());
            assertEquals("Bad Request", error.get("reason").asText());
        }
    }

    @Test
    void envelopeWrapsAndPrettyIndents() {
        String token = startBuiltIn();
        JsonNode list = http.bearerGet(token, "/api/atlas/v2" + CLUSTER0 + "?envelope=true", V2).json();
        assertEquals(200, list.get("status").asInt());
        String id = list.get("results").get(0).get("id").asText();
        JsonNode single = http.bearerGet(token, "/api/atlas/v2" + CLUSTER0 + "/" + id + "?envelope=true", V2).json();
        assertEquals(200, single.get("status").asInt());
        assertEquals(id, single.get("content").get("id").asText());
        assertFalse(http.bearerGet(token, "/api/atlas/v2" + CLUSTER0, V2).body().contains("\n"));
        assertTrue(http.bearerGet(token, "/api/atlas/v2" + CLUSTER0 + "?pretty=true", V2).body().contains("\n  \"results\""));
    }

    @Test
    void failedJobsExplainThemselvesPerApiVersion() {
        String token = startBuiltIn();
        SimHttp.Resp v2 = http.bearerGet(token, "/api/atlas/v2" + CLUSTER0, V2);
        assertEquals(V2, v2.headers().get("Content-Type"));
        JsonNode failed = null;
        for (JsonNode job : v2.json().get("results")) {
            if (job.get("state").asText().equals("Failed")) {
                failed = job;
            }
        }
        assertTrue(failed != null, "the built-in Cluster0 has a failed job");
        assertEquals("EXPORT_BUCKET_ACCESS_DENIED", failed.get("stateReason").get("errorCode").asText());
        assertFalse(failed.has("errMsg"));
        assertTrue(failed.has("finishedAt"));
        SimHttp.Resp v1 = http.bearerGet(token, "/api/atlas/v1.0" + CLUSTER0 + "/" + failed.get("id").asText(), "application/json");
        assertEquals("application/json", v1.headers().get("Content-Type"));
        assertEquals(failed.get("stateReason").get("message").asText(), v1.json().get("errMsg").asText());
        assertFalse(v1.json().has("stateReason"));
    }

    @Test
    void v2WantsItsVersionedMediaType() {
        String token = startBuiltIn();
        SimHttp.Resp plainJson = http.bearerGet(token, "/api/atlas/v2/groups", "application/json");
        assertEquals(406, plainJson.status());
        assertEquals("INVALID_VERSION_DATE", plainJson.json().get("errorCode").asText());
        assertEquals(406, http.get("/api/atlas/v2/groups", Map.of("Authorization", "Bearer " + token)).status());
        assertEquals(200, http.get("/api/atlas/v1.0/groups", Map.of("Authorization", "Bearer " + token)).status());
        SimHttp.Resp wrongBody = http.exchange("POST", "/api/atlas/v2" + CLUSTER0,
                Map.of("Authorization", "Bearer " + token, "Accept", V2, "Content-Type", "application/json"), "{}");
        assertEquals(415, wrongBody.status());
    }

    @Test
    void jobsMoveWithTheClock() {
        String token = startBuiltIn();
        String id = sim.addJob(PAYMENTS, "Cluster0", JobPlan.succeeding(Duration.ofSeconds(10), Duration.ofSeconds(100), 10));
        String uri = "/api/atlas/v2" + CLUSTER0 + "/" + id;
        JsonNode queued = http.bearerGet(token, uri, V2).json();
        assertEquals("Queued", queued.get("state").asText());
        assertEquals("2026-11-24T10:00:00Z", queued.get("createdAt").asText());
        // As Atlas writes it: exported_snapshots/<orgId>/<groupId>/<cluster>/<date>/<createdAt epoch>, no leading slash.
        assertEquals("exported_snapshots/" + SimIds.of(SimIds.ORG, 1) + "/" + PAYMENTS + "/Cluster0/2026-11-24T1000/"
                + T0.getEpochSecond(), queued.get("prefix").asText());
        assertEquals(0, queued.get("exportStatus").get("exportedCollections").asInt());
        sim.advance(Duration.ofSeconds(60));
        JsonNode running = http.bearerGet(token, uri, V2).json();
        assertEquals("InProgress", running.get("state").asText());
        assertEquals(5, running.get("exportStatus").get("exportedCollections").asInt());
        assertEquals(200, http.exchange("POST", "/__sim/clock/advance", Map.of(), "{\"seconds\": 60}").status());
        JsonNode done = http.bearerGet(token, uri, V2).json();
        assertEquals("Successful", done.get("state").asText());
        assertEquals(10, done.get("exportStatus").get("exportedCollections").asInt());
        assertEquals("2026-11-24T10:01:50Z", done.get("finishedAt").asText());
    }

    @Test
    void anyStateCanBeForcedThroughTheControlApiOrJava() {
        String token = startBuiltIn();
        String id = sim.addJob(PAYMENTS, "Cluster0", JobPlan.DEFAULT);
        SimHttp.Resp paused = http.exchange("PUT", "/__sim/jobs/" + PAYMENTS + "/Cluster0/" + id + "/state", Map.of(),
                "{\"state\": \"Paused\"}");
        assertEquals(200, paused.status(), paused.body());
        assertEquals("Paused", http.bearerGet(token, "/api/atlas/v2" + CLUSTER0 + "/" + id, V2).json().get("state").asText());

        sim.setJobState(PAYMENTS, "Cluster0", id, "Failed", "operator pulled the plug");
        JsonNode failed = http.bearerGet(token, "/api/atlas/v2" + CLUSTER0 + "/" + id, V2).json();
        assertEquals("operator pulled the plug", failed.get("stateReason").get("message").asText());
        assertEquals(404, http.exchange("PUT", "/__sim/jobs/" + PAYMENTS + "/Cluster0/" + "0".repeat(24) + "/state", Map.of(),
                "{\"state\": \"Failed\"}").status());
        assertThrows(NoSuchElementException.class, () -> sim.setJobState(PAYMENTS, "Nope", id, "Failed", null));
    }

    @Test
    void exportJobsAreCreatedFromKnownSnapshotsAndBucketsOnly() {
        String token = startBuiltIn();
        // The oldest snapshot: the newest is still being exported by the scenario's own job (a second export is a 409).
        JsonNode snapshots = http.bearerGet(token, "/api/atlas/v2/groups/" + PAYMENTS + "/clusters/Cluster0/backup/snapshots", V2)
                .json().get("results");
        String snapshot = snapshots.get(snapshots.size() - 1).get("id").asText();
        String bucket = http.bearerGet(token, "/api/atlas/v2/groups/" + PAYMENTS + "/backup/exportBuckets", V2)
                .json().get("results").get(0).get("_id").asText();
        Map<String, String> headers = Map.of("Authorization", "Bearer " + token, "Accept", V2, "Content-Type", V2);
        SimHttp.Resp created = http.exchange("POST", "/api/atlas/v2" + CLUSTER0, headers,
                "{\"snapshotId\":\"" + snapshot + "\",\"exportBucketId\":\"" + bucket + "\",\"customData\":[{\"key\":\"k\",\"value\":\"v\"}]}");
        assertEquals(200, created.status(), created.body());
        assertEquals("Queued", created.json().get("state").asText());
        assertEquals("v", created.json().get("customData").get(0).get("value").asText());
        String id = created.json().get("id").asText();
        assertEquals(id, http.bearerGet(token, "/api/atlas/v2" + CLUSTER0, V2).json().get("results").get(0).get("id").asText());

        SimHttp.Resp noSnapshot = http.exchange("POST", "/api/atlas/v2" + CLUSTER0, headers,
                "{\"snapshotId\":\"" + "a".repeat(24) + "\",\"exportBucketId\":\"" + bucket + "\"}");
        assertEquals("SNAPSHOT_NOT_FOUND", noSnapshot.json().get("errorCode").asText());
        SimHttp.Resp noBucket = http.exchange("POST", "/api/atlas/v2" + CLUSTER0, headers,
                "{\"snapshotId\":\"" + snapshot + "\",\"exportBucketId\":\"" + "b".repeat(24) + "\"}");
        assertEquals(404, noBucket.status());
        assertEquals("EXPORT_BUCKET_NOT_FOUND", noBucket.json().get("errorCode").asText());
        SimHttp.Resp missing = http.exchange("POST", "/api/atlas/v2" + CLUSTER0, headers, "{\"exportBucketId\":\"" + bucket + "\"}");
        assertEquals(400, missing.status());
        assertEquals("snapshotId", missing.json().get("parameters").get(0).asText());
    }

    @Test
    void unknownOrMalformedIdsGetAtlasErrors() {
        String token = startBuiltIn();
        assertEquals("INVALID_GROUP_ID", http.bearerGet(token, "/api/atlas/v2/groups/xyz/clusters", V2).json().get("errorCode").asText());
        SimHttp.Resp noGroup = http.bearerGet(token, "/api/atlas/v2/groups/" + "f".repeat(24) + "/clusters", V2);
        assertEquals(404, noGroup.status());
        assertEquals("GROUP_NOT_FOUND", noGroup.json().get("errorCode").asText());
        assertEquals("CLUSTER_NOT_FOUND", http.bearerGet(token, "/api/atlas/v2/groups/" + PAYMENTS
                + "/clusters/Nope/backup/exports", V2).json().get("errorCode").asText());
        assertEquals("EXPORT_JOB_NOT_FOUND", http.bearerGet(token, "/api/atlas/v2" + CLUSTER0 + "/" + "0".repeat(24), V2)
                .json().get("errorCode").asText());
        assertEquals(404, http.bearerGet(token, "/api/atlas/v2/orgs", V2).status());
    }

    @Test
    void churnAddsJobsOverTimeAndKeepsThemBounded() {
        String token = startBuiltIn();
        int before = http.bearerGet(token, "/api/atlas/v2" + CLUSTER0, V2).json().get("totalCount").asInt();
        sim.advance(Duration.ofMinutes(5));
        int after = http.bearerGet(token, "/api/atlas/v2" + CLUSTER0, V2).json().get("totalCount").asInt();
        assertEquals(before + 5, after);
        sim.advance(Duration.ofHours(3));
        token = http.token("sim-client", "sim-secret"); // the first one expired with the jump
        assertEquals(30, http.bearerGet(token, "/api/atlas/v2" + CLUSTER0, V2).json().get("totalCount").asInt());
        JsonNode state = http.get("/__sim/state", Map.of()).json();
        assertEquals(3, state.get("projects").asInt());
        assertEquals(9, state.get("clusters").asInt());
        assertTrue(state.get("jobsByState").has("Successful") && state.get("jobsByState").has("InProgress"));
        assertNull(state.get("jobsByState").get("Unknown"));
    }

    private SimHttp.Resp digestGet(String uri, String authorization) {
        return http.get(uri, Map.of("Accept", V2, "Authorization", authorization));
    }

    record Curl(int status, String body) {
    }

    static Curl curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--max-time", "10", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("curl did not finish");
        }
        int newline = out.lastIndexOf('\n');
        return new Curl(Integer.parseInt(out.substring(newline + 1).trim()), out.substring(0, newline));
    }
}
