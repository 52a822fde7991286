package io.github.atlasexport.atlas;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.simulator.Fault;
import io.github.atlasexport.simulator.Scenario;
import io.github.atlasexport.testing.SimWorld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At debug level every exchange with Atlas is one line (method, path template, status, duration,
 * try), and no line, of the client or of anything else of ours, ever holds a credential.
 */
class ExchangeLogIntegrationTests {
    static final String PRIVATE_KEY = "PRIVKEY-7f3e9a51-c0ffee-secret";
    static final String CLIENT_SECRET = "mdb_sa_sk_CLIENTSECRET-51c0ffee";
    static final Credentials.Digest API_KEY = new Credentials.Digest("ops-public", PRIVATE_KEY);
    static final Credentials.ServiceAccount ACCOUNT = new Credentials.ServiceAccount("mdb_sa_id_ops", CLIENT_SECRET);
    static final String EXPORTS_LINE = "Atlas GET " + ReactorAtlasClient.EXPORTS;

    private final Logger ours = (Logger) LoggerFactory.getLogger("io.github.atlasexport");
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Level levelBefore;
    private AtlasSimulator sim;

    @BeforeEach
    void capture() {
        levelBefore = ours.getLevel();
        ours.setLevel(Level.DEBUG);
        captured.start();
        root.addAppender(captured);
        Scenario world = SimWorld.scenario();
        sim = AtlasSimulator.start("127.0.0.1", 0, new Scenario(world.projects(),
                new Scenario.Credentials(List.of(new Scenario.DigestKey(API_KEY.publicKey(), PRIVATE_KEY)),
                        List.of(new Scenario.ServiceAccount(ACCOUNT.clientId(), CLIENT_SECRET))),
                world.rateLimit(), world.nonceLifetime(), world.tokenLifetime(), world.faults(), world.generate()));
    }

    @AfterEach
    void stop() {
        sim.close();
        root.detachAppender(captured);
        ours.setLevel(levelBefore);
    }

    @Test
    void eachExchangeIsADebugLineWithItsTryAndNoSecret() {
        sim.setFaults(List.of(Fault.error(500).forCluster(SimWorld.SHOP, SimWorld.ORDERS).times(1)));
        for (Credentials credentials : List.<Credentials>of(API_KEY, ACCOUNT)) {
            try (AtlasClient client = AtlasClients.create(AtlasClientOptions.create(URI.create(sim.baseUrl()), credentials)
                    .withRetryPolicy(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10), 0, Duration.ofSeconds(1))))) {
                client.listExportJobs(SimWorld.SHOP, SimWorld.ORDERS).collectList().block(Duration.ofSeconds(30));
                client.listExportJobs(SimWorld.INSIGHTS, SimWorld.REPORTS).collectList().block(Duration.ofSeconds(30));
            }
        }

        List<String> lines = lines();
        assertTrue(lines.stream().anyMatch(line -> line.matches("DEBUG " + quoted(EXPORTS_LINE) + " -> 500 in \\d+ ms \\(attempt 1\\)")),
                lines::toString);
        assertTrue(lines.stream().anyMatch(line -> line.matches("DEBUG " + quoted(EXPORTS_LINE) + " -> 200 in \\d+ ms \\(attempt 2\\)")),
                lines::toString);
        assertTrue(lines.stream().anyMatch(line -> line.matches("DEBUG " + quoted(EXPORTS_LINE) + " -> 401 in \\d+ ms \\(attempt \\d\\)")),
                "the digest challenge is an exchange too: " + lines);
        String basic = Base64.getEncoder().encodeToString((ACCOUNT.clientId() + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        for (String secret : List.of(PRIVATE_KEY, CLIENT_SECRET, basic)) {
            assertFalse(lines.stream().anyMatch(line -> line.contains(secret)), "a log line holds a secret");
        }
    }

    private static String quoted(String text) {
        return java.util.regex.Pattern.quote(text);
    }

    /** Every captured line: level, message, and the stack trace's messages. */
    private List<String> lines() {
        List<String> lines = new ArrayList<>();
        synchronized (captured) { // AppenderBase appends under its own lock
            for (ILoggingEvent event : captured.list) {
                StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getFormattedMessage());
                for (var thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
                    line.append(" | ").append(thrown.getMessage());
                }
                lines.add(line.toString());
            }
        }
        return lines;
    }
}
