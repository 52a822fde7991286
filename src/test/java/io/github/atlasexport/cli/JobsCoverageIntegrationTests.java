package io.github.atlasexport.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.simulator.Scenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.github.atlasexport.cli.CliIntegrationTests.PRIVATE_KEY;
import static io.github.atlasexport.cli.CliIntegrationTests.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jobs coverage} against the simulator: per cluster policy, recovery point, unexported snapshots, verdict. */
class JobsCoverageIntegrationTests {
    static final String GROUP = "66cc00000000000000000001";
    static final String BUCKET = "66cc0000000000000000b001";

    private static AtlasSimulator sim;

    /** Daily snapshots 1h, 25h and 49h old in each cluster. */
    @BeforeAll
    static void startSimulator() {
        sim = AtlasSimulator.start("127.0.0.1", 0, Scenario.parse("""
                projects:
                  - id: %s
                    name: coverage-cli
                    exportBuckets:
                      - {id: %s, name: main-exports}
                    clusters:
                      - name: Stopped
                        newestSnapshotAgo: 1h
                        autoExport: {frequency: daily, stoppedAgo: 30h}
                      - name: Running
                        newestSnapshotAgo: 1h
                        autoExport: {frequency: daily}
                      - name: Manual
                        newestSnapshotAgo: 1h
                """.formatted(GROUP, BUCKET), "coverage-cli scenario"));
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    @Test
    void everyClusterOfTheGroupWithItsPolicyRecoveryPointUnexportedSnapshotsAndVerdict() {
        CliIntegrationTests.Run table = run(Map.of("ATLAS_PRIVATE_KEY", PRIVATE_KEY), "jobs", "coverage",
                "--base-url", sim.baseUrl(), "--public-key", "sim-public", "--group", GROUP);

        assertEquals(0, table.exitCode(), table::toString);
        System.out.print(table.out());
        List<String> lines = table.out().lines().toList();
        assertTrue(lines.get(0).matches("PROJECT +CLUSTER +POLICY +BUCKET +RECOVERY POINT +AGE +UNEXPORTED +VERDICT"), table::toString);
        assertEquals(4, lines.size(), table::toString);
        // Exports stopped 30h ago: only the 49h-old snapshot is in the bucket, the two newer ones are not.
        assertTrue(row(lines, "Stopped").matches(".*auto-export daily +" + BUCKET + " +\\S+Z +2d[01]h +2 +OVERDUE since \\S+"),
                table::toString);
        assertTrue(row(lines, "Running").matches(".*auto-export daily +" + BUCKET + " +\\S+Z +(59m\\d*s|1h\\d*m?) +0 +on time until \\S+"),
                table::toString);
        assertTrue(row(lines, "Manual").matches(".*no auto-export +- +none exported +- +3 +-"), table::toString);
    }

    @Test
    void theConfigsTargetsAsTheApiDocument(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("monitor.yaml");
        Files.writeString(config, """
                atlas:
                  baseUrl: %s
                  auth: {digest: {publicKey: sim-public, privateKey: "${ATLAS_PRIVATE_KEY}"}}
                targets:
                  - {groupId: %s, clusters: [Stopped]}
                alerts:
                  overdue: {grace: 30d}
                """.formatted(sim.baseUrl(), GROUP));

        CliIntegrationTests.Run json = run(Map.of("ATLAS_PRIVATE_KEY", PRIVATE_KEY), "jobs", "coverage",
                "--config", config.toString(), "--json");

        assertEquals(0, json.exitCode(), json::toString);
        JsonNode clusters = new ObjectMapper().readTree(json.out()).path("clusters");
        assertEquals(1, clusters.size(), json::toString);
        JsonNode stopped = clusters.get(0);
        assertEquals("Stopped", stopped.path("cluster_name").asText());
        assertEquals("daily", stopped.path("frequency").asText());
        assertEquals(BUCKET, stopped.path("export_bucket_id").asText());
        assertEquals(2, stopped.path("unexported_snapshots").asInt());
        long age = stopped.path("recovery_point_age_seconds").asLong();
        assertTrue(age >= 49 * 3600 && age < 50 * 3600, json::toString);
        assertEquals(false, stopped.path("overdue").asBoolean(), "the config's 30d grace is used: " + json);
    }

    private static String row(List<String> lines, String cluster) {
        return lines.stream().filter(line -> line.startsWith(GROUP + "  " + cluster + " "))
                .findFirst().orElseThrow(() -> new AssertionError("no row of " + cluster + " in " + lines));
    }
}
