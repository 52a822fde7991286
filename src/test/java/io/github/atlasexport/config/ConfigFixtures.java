package io.github.atlasexport.config;

import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small configs and assertions shared by the config tests. */
final class ConfigFixtures {

    static final String SOURCE = "test-config.yaml";
    static final String GROUP = "5f0a1b2c3d4e5f6a7b8c9d0e";
    static final String PRIVATE_KEY = "pk-Zq8#xY:{}-SECRET";

    /** The smallest valid config; {@code extra} is appended (top-level keys other than atlas/targets). */
    static String minimal(String extra) {
        return """
                atlas:
                  auth:
                    digest:
                      publicKey: pub
                      privateKey: "%s"
                targets:
                  - groupId: %s
                %s""".formatted(PRIVATE_KEY, GROUP, extra);
    }

    /** A valid atlas section plus the given targets (and anything else) as YAML. */
    static String withTargets(String targetsAndMore) {
        return """
                atlas:
                  auth:
                    digest: {publicKey: pub, privateKey: "%s"}
                %s""".formatted(PRIVATE_KEY, targetsAndMore);
    }

    static MonitorConfig load(String yaml) {
        return load(yaml, Map.of());
    }

    static MonitorConfig load(String yaml, Map<String, String> env) {
        Function<String, String> lookup = env::get;
        return ConfigLoader.load(yaml, SOURCE, lookup);
    }

    static ConfigException fails(String yaml) {
        return fails(yaml, Map.of());
    }

    static ConfigException fails(String yaml, Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> load(yaml, env));
    }

    /** Some problem line names the file, the key path and contains the fragment. */
    static void assertProblem(ConfigException e, String keyPath, String fragment) {
        boolean found = e.problems().stream().anyMatch(line -> line.startsWith(SOURCE)
                && line.contains(": " + keyPath + ": ") && line.contains(fragment));
        assertTrue(found, () -> "no problem at " + keyPath + " containing '" + fragment + "' in:\n" + e.getMessage());
    }

    private ConfigFixtures() {
    }
}
