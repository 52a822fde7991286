package io.github.atlasexport.config;

import io.github.atlasexport.config.MonitorConfig.RetryFailed;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.github.atlasexport.config.ConfigFixtures.GROUP;
import static io.github.atlasexport.config.ConfigFixtures.assertProblem;
import static io.github.atlasexport.config.ConfigFixtures.fails;
import static io.github.atlasexport.config.ConfigFixtures.load;
import static io.github.atlasexport.config.ConfigFixtures.minimal;
import static io.github.atlasexport.config.ConfigFixtures.withTargets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code remediation.retryFailed}: defaults, per-target merging, bounds, and check-config's rendering. */
class RemediationConfigUnitTests {

    @Test
    void offByDefaultWithTheSpecDefaults() {
        MonitorConfig c = load(minimal(""));

        RetryFailed expected = new RetryFailed(false, Duration.ofMinutes(15), 2, false, List.of());
        assertEquals(expected, c.remediation().retryFailed());
        assertEquals(expected, c.targets().get(0).remediation().retryFailed());
    }

    @Test
    void perTargetRemediationMergesKeyByKeyOverTheGlobal() {
        MonitorConfig c = load(withTargets("""
                targets:
                  - groupId: %s
                    remediation:
                      retryFailed: {enabled: true, errorCodes: [EXPORT_FAILED]}
                  - groupId: 65aa00bb11cc22dd33ee44ff
                remediation:
                  retryFailed: {after: 30m, maxAttempts: 3, dryRun: true}
                """.formatted(GROUP)));

        assertEquals(new RetryFailed(true, Duration.ofMinutes(30), 3, true, List.of("EXPORT_FAILED")),
                c.targets().get(0).remediation().retryFailed());
        assertEquals(new RetryFailed(false, Duration.ofMinutes(30), 3, true, List.of()),
                c.targets().get(1).remediation().retryFailed());
        String printed = ConfigPrinter.render(c);
        assertTrue(printed.contains("remediation:"), printed);
        MonitorConfig again = load(printed); // the output loads again, the masked key as the value
        assertEquals(c.remediation(), again.remediation());
        assertEquals(c.targets().get(0).remediation(), again.targets().get(0).remediation());
        assertEquals(c.targets().get(1).remediation(), again.targets().get(1).remediation());
    }

    @Test
    void outOfBoundsValuesAreNamedWithTheirKey() {
        ConfigException e = fails(minimal("""
                remediation:
                  retryFailed: {after: 31d, maxAttempts: 0, errorCodes: [""], dryrun: true}
                """));

        assertProblem(e, "remediation.retryFailed.after", "at most 30d");
        assertProblem(e, "remediation.retryFailed.maxAttempts", "at least 1");
        assertProblem(e, "remediation.retryFailed.errorCodes[0]", "error code");
        assertProblem(e, "remediation.retryFailed.dryrun", "did you mean 'dryRun'");
    }
}
