package io.github.atlasexport.config;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.github.atlasexport.config.ConfigFixtures.GROUP;
import static io.github.atlasexport.config.ConfigFixtures.SOURCE;
import static io.github.atlasexport.config.ConfigFixtures.assertProblem;
import static io.github.atlasexport.config.ConfigFixtures.fails;
import static io.github.atlasexport.config.ConfigFixtures.load;
import static io.github.atlasexport.config.ConfigFixtures.minimal;
import static io.github.atlasexport.config.ConfigFixtures.withTargets;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What config errors and check-config may show, and what a hostile YAML file may cost. */
class ConfigExposureUnitTests {
    private static final String SECRET = "hunter 2 Zq8";
    private static final String NOT_SHOWN = "(a value from an environment variable, not shown)";

    @Test
    void aValueFromTheEnvironmentIsNeverEchoedWhereverItIsRejected() {
        ConfigException e = fails("""
                atlas:
                  baseUrl: "${S}"
                  apiVersion: "${S}"
                  requestTimeout: "${S}"
                  maxConcurrency: "${S}"
                  requestsPerMinute: "${NEGATIVE}"
                  auth:
                    digest: {publicKey: pub, privateKey: "${S}"}
                targets:
                  - groupId: "${S}"
                    clusters: ["Cluster0", "${S}"]
                alerts:
                  failed: {enabled: "${S}"}
                server:
                  listen: "${S}"
                """, Map.of("S", SECRET, "NEGATIVE", "-7"));

        assertFalse(e.getMessage().contains("hunter"), e.getMessage());
        assertFalse(e.getMessage().contains("-7"), e.getMessage());
        for (String key : new String[]{"atlas.baseUrl", "atlas.apiVersion", "atlas.requestTimeout", "atlas.maxConcurrency",
                "atlas.requestsPerMinute", "targets[0].groupId", "targets[0].clusters[1]", "alerts.failed.enabled", "server.listen"}) {
            assertProblem(e, key, NOT_SHOWN);
        }
    }

    @Test
    void aLiteralValueIsStillQuotedButNotItsCredentials() {
        ConfigException e = fails("""
                atlas:
                  baseUrl: "https://user:pa55word@ not a host"
                  apiVersion: v3
                  auth:
                    digest: {publicKey: pub, privateKey: secret}
                targets:
                  - groupId: %s
                """.formatted(GROUP));

        assertProblem(e, "atlas.apiVersion", "got 'v3'");
        assertProblem(e, "atlas.baseUrl", "got 'https://****@ not a host'");
        assertFalse(e.getMessage().contains("pa55word"), e.getMessage());
    }

    @Test
    void checkConfigMasksTheCredentialsOfTheBaseUrl() {
        String out = ConfigPrinter.render(load(minimal("").replace("atlas:\n", "atlas:\n  baseUrl: https://user:pa55word@atlas.example.com/base\n")));

        assertTrue(out.contains("https://****@atlas.example.com/base"), out);
        assertFalse(out.contains("pa55word"), out);
    }

    @Test
    void aBillionLaughsIsRefusedNamingTheFileAndTheLimit() {
        StringBuilder yaml = new StringBuilder("x-laughs:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int level = 1; level <= 9; level++) {
            String previous = "*a" + (level - 1);
            yaml.append("  a").append(level).append(": &a").append(level).append(" [")
                    .append(IntStream.range(0, 9).mapToObj(i -> previous).collect(Collectors.joining(", "))).append("]\n");
        }

        ConfigException e = fails(withTargets("targets: [{groupId: " + GROUP + "}]\n" + yaml));

        assertProblem(e, "x-laughs.a4[0]", "too many aliases");
    }

    @Test
    void aliasesAreLimitedInNumberEvenWhenSmall() {
        String many = IntStream.range(0, 60).mapToObj(i -> "  - *one").collect(Collectors.joining("\n"));

        ConfigException e = fails(withTargets("targets: [{groupId: " + GROUP + "}]\nx-one: &one {a: b}\nx-many:\n" + many + "\n"));

        assertProblem(e, "x-many[50]", "more than " + YamlTree.MAX_ALIASES + " aliases");
    }

    @Test
    void aHugeFileIsRefusedNamingTheFile() {
        ConfigException e = fails("x-big: " + "x".repeat(YamlTree.MAX_CODE_POINTS + 10) + "\n" + minimal(""));

        assertTrue(e.getMessage().startsWith(SOURCE + ": larger than 3 MB (the limit)"), e.getMessage());
    }
}
