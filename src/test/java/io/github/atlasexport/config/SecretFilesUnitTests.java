package io.github.atlasexport.config;

import io.github.atlasexport.atlas.Credentials;
import io.github.atlasexport.config.MonitorConfig.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every secret key has a {@code ...File} twin, as Kubernetes and Docker mount secrets: exactly one of the pair. */
class SecretFilesUnitTests {
    private static final String TARGETS = """
            targets:
              - groupId: 5f0a1b2c3d4e5f6a7b8c9d01
            """;

    @TempDir
    Path dir;

    @Test
    void everySecretIsReadFromItsFileWithoutTheTrailingNewline() throws IOException {
        MonitorConfig config = load("""
                atlas:
                  auth:
                    digest: {publicKey: pub, privateKeyFile: %s}
                alerts:
                  sinks:
                    - {type: webhook, url: "https://hooks.example.com/a", secretFile: %s}
                    - {type: pagerduty, routingKeyFile: %s}
                    - {type: slack, urlFile: %s}
                """.formatted(secret("private-key", "pk-from-file\n"), secret("webhook", "whsec-from-file\r\n"),
                secret("routing", "rk-from-file"), secret("slack", "https://hooks.slack.com/services/T0/B0/tok3n\n")) + TARGETS);

        assertEquals(new Credentials.Digest("pub", "pk-from-file"), config.atlas().auth());
        List<Sink> sinks = config.alerts().sinks();
        assertEquals("whsec-from-file", sinks.get(0).secret());
        assertEquals("rk-from-file", sinks.get(1).routingKey());
        assertEquals(URI.create("https://hooks.slack.com/services/T0/B0/tok3n"), sinks.get(2).url());
        assertEquals(Map.of(
                "atlas.auth.digest.privateKey", dir.resolve("private-key"),
                "alerts.sinks[0].secret", dir.resolve("webhook"),
                "alerts.sinks[1].routingKey", dir.resolve("routing"),
                "alerts.sinks[2].url", dir.resolve("slack")), config.secretFiles().byKeyPath());
    }

    @Test
    void checkConfigShowsTheFileNeverItsContents() throws IOException {
        MonitorConfig config = load("""
                atlas:
                  auth:
                    serviceAccount: {clientId: mdb_sa_id, clientSecretFile: %s}
                alerts:
                  sinks:
                    - {type: slack, urlFile: %s}
                    - {type: webhook, url: "https://hooks.example.com/a", secret: inline-secret}
                """.formatted(secret("client-secret", "sa-secret-DO-NOT-PRINT\n"),
                secret("slack", "https://hooks.slack.com/services/T0/B0/tok3n-DO-NOT-PRINT")) + TARGETS);

        String printed = ConfigPrinter.render(config);

        assertTrue(printed.contains("clientSecretFile: " + dir.resolve("client-secret")), printed);
        assertTrue(printed.contains("urlFile: " + dir.resolve("slack")), printed);
        assertTrue(printed.contains("secret: '****'") || printed.contains("secret: \"****\""), printed);
        assertFalse(printed.contains("DO-NOT-PRINT") || printed.contains("inline-secret"), printed);
        assertEquals(config.secretFiles(), load(printed).secretFiles(), "the printed config loads again, from the same files");
    }

    @Test
    void bothOfAPairNeitherOrAnUnreadableFileAreNamedNeverShown() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                atlas:
                  auth:
                    digest: {publicKey: pub, privateKey: pk-DO-NOT-PRINT, privateKeyFile: %s}
                alerts:
                  sinks:
                    - {type: pagerduty}
                    - {type: webhook, url: "https://hooks.example.com/a", secretFile: %s}
                    - {type: slack, urlFile: %s}
                """.formatted(secret("private-key", "pk-file-DO-NOT-PRINT"), dir.resolve("missing"),
                secret("empty", "\n")) + TARGETS));

        assertEquals(List.of(
                "test.yaml:3: atlas.auth.digest.privateKey: set exactly one of 'privateKey' or 'privateKeyFile', not both",
                "test.yaml:6: alerts.sinks[0].routingKey: is required (or 'routingKeyFile': a file holding it)",
                "test.yaml:7: alerts.sinks[1].secretFile: cannot read " + dir.resolve("missing") + " (NoSuchFileException)",
                "test.yaml:8: alerts.sinks[2].urlFile: " + dir.resolve("empty") + " is empty"), e.problems());
        assertFalse(e.getMessage().contains("DO-NOT-PRINT"));
    }

    private Path secret(String name, String contents) throws IOException {
        return Files.writeString(dir.resolve(name), contents);
    }

    private static MonitorConfig load(String yaml) {
        return ConfigLoader.load(yaml, "test.yaml", name -> null);
    }
}
