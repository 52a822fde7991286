package io.github.atlasexport.config;

import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.Credentials;
import io.github.atlasexport.config.MonitorConfig.Poll;
import io.github.atlasexport.config.MonitorConfig.Sink;
import io.github.atlasexport.config.MonitorConfig.Stuck;
import io.github.atlasexport.config.MonitorConfig.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.github.atlasexport.config.ConfigFixtures.GROUP;
import static io.github.atlasexport.config.ConfigFixtures.PRIVATE_KEY;
import static io.github.atlasexport.config.ConfigFixtures.SOURCE;
import static io.github.atlasexport.config.ConfigFixtures.assertProblem;
import static io.github.atlasexport.config.ConfigFixtures.fails;
import static io.github.atlasexport.config.ConfigFixtures.load;
import static io.github.atlasexport.config.ConfigFixtures.minimal;
import static io.github.atlasexport.config.ConfigFixtures.withTargets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading: defaults, variables, durations, per-target merging, cluster selection, the example file. */
class ConfigLoaderUnitTests {

    @Test
    void minimalConfigGetsEveryDefaultOfSpecSection3() {
        MonitorConfig c = load(minimal(""));

        assertEquals(URI.create("https://cloud.mongodb.com"), c.atlas().baseUrl());
        assertEquals(ApiVersion.V2, c.atlas().apiVersion());
        assertEquals(new Credentials.Digest("pub", PRIVATE_KEY), c.atlas().auth());
        assertEquals(Duration.ofSeconds(30), c.atlas().requestTimeout());
        assertEquals(8, c.atlas().maxConcurrency());
        assertEquals(60, c.atlas().requestsPerMinute());
        Poll poll = new Poll(Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofDays(7));
        assertEquals(poll, c.poll());
        assertEquals(new MonitorConfig.Toggle(true, "critical"), c.alerts().failed());
        assertEquals(new MonitorConfig.Toggle(true, "warning"), c.alerts().cancelled());
        Stuck stuck = new Stuck(Duration.ofHours(6), Duration.ofHours(1), "warning");
        assertEquals(stuck, c.alerts().stuck());
        assertEquals(new MonitorConfig.Threshold(Duration.ZERO, "warning"), c.alerts().noRecentSuccess());
        assertFalse(c.alerts().noRecentSuccess().enabled());
        assertEquals(new MonitorConfig.Threshold(Duration.ofMinutes(10), "warning"), c.alerts().targetDown());
        assertEquals(List.of(), c.alerts().sinks());
        assertEquals(new MonitorConfig.Server("0.0.0.0", 9871), c.server());
        assertEquals(Path.of("data/state.db"), c.state().path());
        // No clusters key: the whole project; the target inherits the global poll and stuck settings.
        assertEquals(List.of(new Target(GROUP, List.of(), poll, stuck)), c.targets());
    }

    @Test
    void expandsVariablesInStringValuesAfterParsing() {
        String yaml = """
                atlas:
                  baseUrl: ${BASE:-http://127.0.0.1:8080}
                  auth:
                    serviceAccount:
                      clientId: id-${TEAM}-${EMPTY:-x}
                      clientSecret: ${SECRET}
                  maxConcurrency: ${CONC:-3}
                targets:
                  - groupId: ${GROUP_ID}
                    clusters: ["${CLUSTER}"]
                state:
                  path: data/$${NOT_A_VAR}/state.json
                """;
        String secret = "a: b # \"c' ${NESTED} ]";
        MonitorConfig c = load(yaml, Map.of("TEAM", "ops", "EMPTY", "", "SECRET", secret,
                "GROUP_ID", GROUP, "CLUSTER", "Cluster0", "NESTED", "boom"));

        assertEquals(URI.create("http://127.0.0.1:8080"), c.atlas().baseUrl());
        // Inserted verbatim: YAML-special characters are harmless and ${NESTED} is not expanded again.
        assertEquals(new Credentials.ServiceAccount("id-ops-x", secret), c.atlas().auth());
        assertEquals(3, c.atlas().maxConcurrency());
        assertEquals(List.of("Cluster0"), c.targets().get(0).clusters());
        assertEquals(Path.of("data/${NOT_A_VAR}/state.json"), c.state().path());
    }

    @Test
    void unsetVariableWithoutDefaultNamesTheVariableAndTheKey() {
        ConfigException e = fails(minimal("""
                server:
                  listen: ${LISTEN_ADDR}
                """));

        assertProblem(e, "server.listen", "environment variable LISTEN_ADDR is not set");
    }

    @Test
    void malformedVariableReferencesAreReported() {
        ConfigException e = fails(minimal("""
                state:
                  path: data/${1BAD}.json
                server:
                  listen: "${OPEN"
                """));

        assertProblem(e, "state.path", "malformed variable reference");
        assertProblem(e, "server.listen", "unterminated '${'");
    }

    @ParameterizedTest
    @CsvSource({"90s, PT90S", "15m, PT15M", "6h, PT6H", "7d, PT168H", "500ms, PT0.5S", "0s, PT0S", "0, PT0S",
            "1h30m, PT1H30M", "1d2h3m4s5ms, PT26H3M4.005S", "PT2H, PT2H"})
    void readsDurations(String text, String iso) {
        MonitorConfig c = load(minimal("poll: {historyWindow: " + text + "}"));

        assertEquals(Duration.parse(iso), c.poll().historyWindow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-5m", "5", "5x", "1h-30m", "'5 m'", "h", "''", "PT-1H", "99999999999999999999d"})
    void rejectsNegativeOrUnparseableDurations(String text) {
        ConfigException e = fails(minimal("poll: {historyWindow: " + text + "}"));

        assertProblem(e, "poll.historyWindow", "");
        assertEquals(1, e.problems().size(), e::getMessage);
    }

    @Test
    void activeIntervalMayExceedIntervalButIntervalMustBePositive() {
        assertEquals(Duration.ofMinutes(5), load(minimal("poll: {interval: 1m, activeInterval: 5m}")).poll().activeInterval());

        ConfigException e = fails(minimal("poll: {interval: 0s, activeInterval: 0ms}"));

        assertProblem(e, "poll.interval", "must be greater than 0");
        assertProblem(e, "poll.activeInterval", "must be greater than 0");
    }

    @Test
    void perTargetPollAndStuckMergeKeyByKeyOverTheGlobals() {
        MonitorConfig c = load(withTargets("""
                targets:
                  - groupId: %s
                    poll:
                      interval: 5m
                    alerts:
                      stuck: {inProgressAfter: 12h}
                  - groupId: 65aa00bb11cc22dd33ee44ff
                poll:
                  activeInterval: 30s
                alerts:
                  stuck: {queuedAfter: 2h, severity: critical}
                """.formatted(GROUP)));

        Target overridden = c.targets().get(0);
        assertEquals(new Poll(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofDays(7)), overridden.poll());
        assertEquals(new Stuck(Duration.ofHours(12), Duration.ofHours(2), "critical"), overridden.stuck());
        Target plain = c.targets().get(1);
        assertEquals(c.poll(), plain.poll());
        assertEquals(c.alerts().stuck(), plain.stuck());
        assertEquals(new Poll(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofDays(7)), c.poll());
    }

    @Test
    void starStringStarListAndNoKeyAllMeanDiscoverEveryCluster() {
        MonitorConfig c = load(withTargets("""
                targets:
                  - {groupId: 000000000000000000000001, clusters: "*"}
                  - {groupId: 000000000000000000000002, clusters: ["*"]}
                  - {groupId: 000000000000000000000003}
                  - {groupId: 000000000000000000000004, clusters: [Cluster0, sharded-1]}
                """));

        assertTrue(c.targets().get(0).discoverAll());
        assertTrue(c.targets().get(1).discoverAll());
        assertTrue(c.targets().get(2).discoverAll());
        assertEquals(List.of("Cluster0", "sharded-1"), c.targets().get(3).clusters());
    }

    @Test
    void groupIdsThatYamlWouldReadAsNumbersStayText() {
        MonitorConfig c = load(withTargets("""
                targets:
                  - groupId: 123456789012345678901234
                  - groupId: 5e0000000000000000000001
                """));

        assertEquals("123456789012345678901234", c.targets().get(0).groupId());
        assertEquals("5e0000000000000000000001", c.targets().get(1).groupId());
    }

    @Test
    void readsEverySinkTypeAndDefaultsThePagerDutyUrl() {
        MonitorConfig c = load(minimal("""
                alerts:
                  sinks:
                    - {type: webhook, url: "http://127.0.0.1:1/hook", secret: whsec_abc, headers: {X-Team: ops}}
                    - {type: webhook, url: "http://127.0.0.1:1/unsigned", secret: ""}
                    - {type: slack, url: "https://hooks.slack.com/services/T0/B0/tok"}
                    - {type: alertmanager, url: "http://127.0.0.1:9093"}
                    - {type: pagerduty, routingKey: rk-123}
                """));

        assertEquals(List.of(
                new Sink("webhook", URI.create("http://127.0.0.1:1/hook"), "whsec_abc", null, Map.of("X-Team", "ops")),
                new Sink("webhook", URI.create("http://127.0.0.1:1/unsigned"), null, null, Map.of()),
                new Sink("slack", URI.create("https://hooks.slack.com/services/T0/B0/tok"), null, null, Map.of()),
                new Sink("alertmanager", URI.create("http://127.0.0.1:9093"), null, null, Map.of()),
                new Sink("pagerduty", URI.create("https://events.pagerduty.com/v2/enqueue"), null, "rk-123", Map.of())),
                c.alerts().sinks());
    }

    @Test
    void readsTheRestOfTheKeys() {
        MonitorConfig c = load(minimal("""
                alerts:
                  failed: {enabled: false, severity: page}
                  noRecentSuccess: {after: 1d}
                server: {listen: "[::1]:0"}
                state: {path: /var/lib/monitor/state.json}
                """).replace("auth:", "apiVersion: v1.0\n  baseUrl: http://127.0.0.1:8080/\n  auth:"));

        assertEquals(ApiVersion.V1_0, c.atlas().apiVersion());
        assertEquals(URI.create("http://127.0.0.1:8080"), c.atlas().baseUrl(), "trailing slash dropped");
        assertEquals(new MonitorConfig.Toggle(false, "page"), c.alerts().failed());
        assertTrue(c.alerts().noRecentSuccess().enabled());
        assertEquals(new MonitorConfig.Server("::1", 0), c.server());
        assertEquals(Path.of("/var/lib/monitor/state.json"), c.state().path());
    }

    @Test
    void anchorsAndAliasesAreResolved() {
        MonitorConfig c = load(withTargets("""
                targets:
                  - groupId: 5f0a1b2c3d4e5f6a7b8c9d0e
                    poll: &slow {interval: 10m}
                    clusters: &names [Cluster0, Cluster1]
                  - groupId: 65aa00bb11cc22dd33ee44ff
                    poll: *slow
                    clusters: *names
                """));

        assertEquals(Duration.ofMinutes(10), c.targets().get(1).poll().interval());
        assertEquals(List.of("Cluster0", "Cluster1"), c.targets().get(1).clusters());
    }

    @Test
    void exampleConfigInDeployLoadsCleanly() {
        Map<String, String> env = Map.of("ATLAS_PUBLIC_KEY", "pub", "ATLAS_PRIVATE_KEY", "priv",
                "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/tok", "PAGERDUTY_ROUTING_KEY", "rk");

        MonitorConfig c = ConfigLoader.load(Path.of("deploy/config.example.yaml"), env::get);

        assertEquals(2, c.targets().size());
        assertEquals(List.of("Cluster0", "Sharded1"), c.targets().get(0).clusters());
        assertTrue(c.targets().get(1).discoverAll());
        assertEquals(Duration.ofMinutes(5), c.targets().get(1).poll().interval());
        assertEquals(Duration.ofHours(12), c.targets().get(1).stuck().inProgressAfter());
        assertEquals(List.of("webhook", "slack", "alertmanager", "pagerduty"),
                c.alerts().sinks().stream().map(Sink::type).toList());
        assertEquals(null, c.alerts().sinks().get(0).secret(), "WEBHOOK_SECRET unset: unsigned");
        // Every value of the file is its documented default, so apart from the overrides it equals a minimal config.
        MonitorConfig defaults = load(minimal(""));
        assertEquals(defaults.atlas().requestTimeout(), c.atlas().requestTimeout());
        assertEquals(defaults.poll(), c.poll());
        assertEquals(defaults.alerts().stuck(), c.alerts().stuck());
        assertEquals(defaults.server(), c.server());
        assertEquals(defaults.state(), c.state());
    }

    @Test
    void unreadableFileIsAConfigErrorNamingTheFile() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Path.of("target/no-such-config.yaml"), name -> null));

        assertEquals("target/no-such-config.yaml: cannot read: no such file", e.getMessage());
        assertEquals(Path.of("target/no-such-config.yaml").toString(), e.source());
    }
}
