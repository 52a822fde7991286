package io.github.atlasexport.dashboards;

import io.github.atlasexport.testing.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped Prometheus files pass the real promtool: syntax, lint, and the rule unit tests. */
class PrometheusRulesIntegrationTests {

    private static final Path DIRECTORY = Path.of("deploy", "prometheus").toAbsolutePath();

    @Test
    void rulesPassCheckAndLint() throws Exception {
        Promtool.assertSucceeds(DIRECTORY, "check", "rules", "atlas-export-rules.yml");
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        Promtool.assertSucceeds(DIRECTORY, "test", "rules", "atlas-export-rules.test.yml");
    }

    @Test
    void exampleConfigIsValidAndLoadsTheRules() throws Exception {
        Promtool.Result result = Promtool.run(DIRECTORY, "check", "config", "prometheus.yml");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("Checking atlas-export-rules.yml"), result.output());
    }

    /** Guards the checks above: promtool really reports a broken rule as a failure. */
    @Test
    void promtoolRejectsABrokenRule(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.yml"), """
                groups:
                  - name: broken
                    rules:
                      - alert: Broken
                        expr: rate(atlas_export_transitions_total[5m]
                """);
        assertNotEquals(0, Promtool.run(dir, "check", "rules", "broken.yml").exitCode());
    }
}
