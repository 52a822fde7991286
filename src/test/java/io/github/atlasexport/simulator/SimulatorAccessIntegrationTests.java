package io.github.atlasexport.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.github.atlasexport.simulator.SimHttp.V2;
import static io.github.atlasexport.simulator.SimulatorIntegrationTests.T0;
import static io.github.atlasexport.simulator.SimulatorSpecConformanceIntegrationTests.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may do what (project roles per credential, 403) and the token endpoint's own rate limit (429). */
class SimulatorAccessIntegrationTests {
    private static final String GROUP = "65a0b1c2d3e4f50600000001";
    private static final String BUCKET = "65a0b1c2d3e4f506000000b1";
    private static final String CLUSTERS = "/api/atlas/v2/groups/" + GROUP + "/clusters";
    private static final String EXPORTS = CLUSTERS + "/Cluster0/backup/exports";
    private static final String SCENARIO = """
            credentials:
              digestKeys:
                - {publicKey: reader, privateKey: reader-secret, roles: [Project Read Only]}
              serviceAccounts:
                - {clientId: reader-sa, clientSecret: s1, roles: [Project Read Only]}
                - {clientId: exporter-sa, clientSecret: s2, roles: [Project Backup Export Operator]}
                - {clientId: backup-sa, clientSecret: s3, roles: [Project Backup Manager]}
                - {clientId: owner-sa, clientSecret: s4}
            projects:
              - id: %s
                name: Shop
                exportBuckets: [{id: %s, name: shop-exports}]
                clusters: [{name: Cluster0, snapshots: 2}]
            """.formatted(GROUP, BUCKET);

    private AtlasSimulator sim;
    private SimHttp http;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private void start() {
        sim = AtlasSimulator.start("127.0.0.1", 0, Scenario.parse(SCENARIO, "access.yaml"), SimClock.startingAt(T0));
        http = new SimHttp(sim.baseUrl());
    }

    @Test
    void eachCallNeedsTheRoleTheSpecNames() {
        start();
        String reader = http.token("reader-sa", "s1");
        assertEquals(200, http.bearerGet(reader, CLUSTERS, V2).status());
        assertForbidden(http.bearerGet(reader, EXPORTS, V2), "Project Backup Manager");
        assertForbidden(create(reader), "Project Backup Export Operator");

        String exporter = http.token("exporter-sa", "s2");
        assertEquals(200, create(exporter).status());
        assertForbidden(http.bearerGet(exporter, EXPORTS, V2), "Project Backup Manager");

        String backup = http.token("backup-sa", "s3");
        assertEquals(200, http.bearerGet(backup, EXPORTS, V2).status());
        assertEquals(409, create(backup).status(), "allowed to create; the exporter's job is still queued");

        String owner = http.token("owner-sa", "s4");
        assertEquals(200, http.bearerGet(owner, EXPORTS, V2).status());
    }

    @Test
    void aDigestKeyIsHeldToItsRolesToo() {
        start();
        SimHttp.Resp challenge = http.get(EXPORTS, Map.of("Accept", V2));
        SimHttp.DigestNonce nonce = new SimHttp.DigestNonce(challenge.headers().get("WWW-Authenticate"));
        SimHttp.Resp clusters = http.get(CLUSTERS, Map.of("Accept", V2,
                "Authorization", nonce.authorization("reader", "reader-secret", "GET", CLUSTERS)));
        assertEquals(200, clusters.status(), clusters.body());
        assertForbidden(http.get(EXPORTS, Map.of("Accept", V2,
                "Authorization", nonce.authorization("reader", "reader-secret", "GET", EXPORTS))), "Project Backup Manager");
    }

    @Test
    void anUnknownRoleIsAScenarioErrorNamingIt() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> Scenario.parse(
                SCENARIO.replace("[Project Backup Manager]", "[Project Backup Boss]"), "access.yaml"));
        assertTrue(e.getMessage().contains("Project Backup Boss") && e.getMessage().contains("backup-sa"), e.getMessage());
    }

    @Test
    void theTokenEndpointAllowsFiftyRequestsAMinute() {
        start();
        for (int i = 0; i < 50; i++) {
            http.token("owner-sa", "s4");
        }
        SimHttp.Resp limited = http.exchange("POST", "/api/oauth/token", Map.of("Authorization", SimHttp.basic("owner-sa", "s4"),
                "Content-Type", "application/x-www-form-urlencoded"), "grant_type=client_credentials");
        assertError(429, limited);
        assertEquals("RATE_LIMITED", limited.json().path("errorCode").asText());
        assertEquals("/api/oauth/token", limited.json().path("parameters").get(0).asText());
        assertEquals("2", limited.headers().get("Retry-After"), "one token back every 1.2 s");

        sim.advance(Duration.ofSeconds(2));
        http.token("owner-sa", "s4");
    }

    private SimHttp.Resp create(String token) {
        List<String> snapshots = http.bearerGet(token, CLUSTERS + "/Cluster0/backup/snapshots", V2).json().findValuesAsText("id");
        return http.exchange("POST", EXPORTS, Map.of("Authorization", "Bearer " + token, "Accept", V2, "Content-Type", V2),
                "{\"snapshotId\":\"" + snapshots.get(snapshots.size() - 1) + "\",\"exportBucketId\":\"" + BUCKET + "\"}");
    }

    private static void assertForbidden(SimHttp.Resp resp, String neededRole) {
        assertError(403, resp);
        assertEquals("ACCESS_FORBIDDEN", resp.json().path("errorCode").asText());
        assertEquals(neededRole, resp.json().path("parameters").get(0).asText());
    }
}
