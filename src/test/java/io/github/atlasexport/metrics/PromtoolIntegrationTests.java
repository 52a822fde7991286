package io.github.atlasexport.metrics;

import io.github.atlasexport.testing.Promtool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text exposition checked by the real {@code promtool check metrics} (Debian package
 * {@code prometheus}): it parses the format and lints names, types, suffixes and HELP. promtool 2.x
 * reads only the Prometheus text format, so OpenMetrics is checked by a real Prometheus server in
 * {@link PrometheusScrapeIntegrationTests}.
 */
class PromtoolIntegrationTests {

    private static ExportMetrics metrics;

    @BeforeAll
    static void build() {
        metrics = RealisticState.build();
    }

    @AfterAll
    static void close() {
        metrics.close();
    }

    @Test
    void realisticTextExpositionPassesPromtoolWithoutLintProblems(@TempDir Path dir) throws Exception {
        ScrapeResult scrape = metrics.scrape(null);
        String text = scrape.text();
        // The state must really hold what this test claims to check.
        assertTrue(text.contains("state=\"Paused\"} 1.0"), "unknown state present");
        assertTrue(text.contains("atlas_export_target_up{cluster_name=\"Reporting\""), "unreachable cluster present");
        assertTrue(text.contains("atlas_export_last_failure_timestamp_seconds{"), "failure present");
        assertTrue(text.contains("# TYPE jvm_memory_used_bytes gauge"), "self-metrics present");

        Path file = dir.resolve("metrics.prom");
        Files.write(file, scrape.body());
        Promtool.assertMetricsPass(file);
    }

    @Test
    void promtoolCatchesALintProblem(@TempDir Path dir) throws Exception {
        // Proves the check above can fail: the same tool, a counter without _total.
        Path file = dir.resolve("bad.prom");
        Files.writeString(file, "# HELP requests Requests.\n# TYPE requests counter\nrequests 1\n");
        Promtool.Result result = Promtool.checkMetrics(file);

        assertEquals(3, result.exitCode(), result.output());
        assertTrue(result.output().contains("counter metrics should have \"_total\" suffix"), result.output());
    }
}
