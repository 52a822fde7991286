package io.github.atlasexport.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every validation rule: each problem names the file, the key path and what is wrong, never a secret. */
class ConfigValidationUnitTests {

    @Test
    void deliveryMaxAgeAndTimeoutsAreReadAndBounded() {
        MonitorConfig config = load(minimal("""
                alerts:
                  delivery: {maxAge: 2h, timeout: 3s}
                  sinks:
                    - {type: webhook, url: "http://127.0.0.1:1/hook", timeout: 30s}
                    - {type: slack, url: "https://hooks.slack.com/services/T/B/x"}
                """));
        assertEquals(new MonitorConfig.Delivery(Duration.ofHours(2), Duration.ofSeconds(3)), config.alerts().delivery());
        assertEquals(Duration.ofSeconds(30), config.alerts().sinks().get(0).timeout());
        assertEquals(null, config.alerts().sinks().get(1).timeout(), "no override: alerts.delivery.timeout");
        assertEquals(ConfigDefaults.DELIVERY, load(minimal("")).alerts().delivery());

        ConfigException e = fails(minimal("""
                alerts:
                  delivery: {maxAge: 10s, timeout: 1h}
                  sinks:
                    - {type: webhook, url: "http://127.0.0.1:1/hook", timeout: 0s}
                """));
        assertProblem(e, "alerts.delivery.maxAge", "must be at least 1m, got '10s' (allowed: 1m..30d)");
        assertProblem(e, "alerts.delivery.timeout", "must be at most 5m, got '1h' (allowed: 100ms..5m)");
        assertProblem(e, "alerts.sinks[0].timeout", "must be greater than 0");
        assertEquals(3, e.problems().size(), e::getMessage);
    }

    @Test
    void shardingIsReadAndBounded() {
        assertEquals(MonitorConfig.Sharding.NONE, load(minimal("")).sharding());
        assertEquals(new MonitorConfig.Sharding(3, 2), load(minimal("sharding: {shards: 3, shard: 2}\n")).sharding());

        assertProblem(fails(minimal("sharding: {shards: 3, shard: 3}\n")), "sharding.shard",
                "must be less than shards (3): shards are numbered 0..2, got 3");
        ConfigException e = fails(minimal("sharding: {shards: 1025, shard: -1, replicas: 2}\n"));
        assertProblem(e, "sharding.shards", "must be at most 1024, got 1025 (allowed: 1..1024)");
        assertProblem(e, "sharding.shard", "must be at least 0, got -1 (allowed: 0..1023)");
        assertEquals(3, e.problems().size(), e::getMessage);
    }

    @Test
    void groupIdMustBe24LowerCaseHexDigits() {
        ConfigException e = fails(withTargets("""
                targets:
                  - groupId: %s
                  - groupId: 5F0A1B2C3D4E5F6A7B8C9D0E
                  - groupId: abc
                  - clusters: [Cluster0]
                """.formatted(GROUP)));

        assertProblem(e, "targets[1].groupId", "must be 24 lower-case hex digits");
        assertProblem(e, "targets[2].groupId", "got 'abc'");
        assertProblem(e, "targets[3].groupId", "is required");
        assertEquals(3, e.problems().size(), e::getMessage);
    }

    @Test
    void aProjectMayBeListedOnlyOnce() {
        ConfigException e = fails(withTargets("targets: [{groupId: %s}, {groupId: %s}]".formatted(GROUP, GROUP)));

        assertProblem(e, "targets[1].groupId", "same project as targets[0]");
    }

    @Test
    void clusterNamesAreChecked() {
        ConfigException e = fails(withTargets("""
                targets:
                  - {groupId: 000000000000000000000001, clusters: [Cluster0, -bad, "with space", Cluster0]}
                  - {groupId: 000000000000000000000002, clusters: ["*", Cluster0]}
                  - {groupId: 000000000000000000000003, clusters: []}
                  - {groupId: 000000000000000000000004, clusters: Cluster0}
                  - {groupId: 000000000000000000000005, clusters: [[nested]]}
                """));

        assertProblem(e, "targets[0].clusters[1]", "must be a cluster name");
        assertProblem(e, "targets[0].clusters[2]", "got 'with space'");
        assertProblem(e, "targets[0].clusters[3]", "duplicate cluster 'Cluster0'");
        assertProblem(e, "targets[1].clusters", "not both");
        assertProblem(e, "targets[2].clusters", "must not be empty");
        assertProblem(e, "targets[3].clusters", "must be a list of cluster names or \"*\"");
        assertProblem(e, "targets[4].clusters[0]", "must be a cluster name");
        assertEquals(7, e.problems().size(), e::getMessage);
    }

    @Test
    void atLeastOneTargetIsRequired() {
        assertProblem(fails(withTargets("")), "targets", "at least one target is required");
        assertProblem(fails(withTargets("targets: []")), "targets", "at least one target is required");
        assertProblem(fails(withTargets("targets: {groupId: %s}".formatted(GROUP))), "targets", "expected a list");
    }

    @Test
    void exactlyOneAuthMethodWithNonEmptyFields() {
        assertProblem(fails("targets: [{groupId: %s}]".formatted(GROUP)), "atlas.auth", "is required");
        assertProblem(fails("""
                atlas:
                  auth: {}
                targets: [{groupId: %s}]
                """.formatted(GROUP)), "atlas.auth", "set exactly one of digest");

        ConfigException both = fails("""
                atlas:
                  auth:
                    digest: {publicKey: pub, privateKey: "%s"}
                    serviceAccount: {clientId: id, clientSecret: ""}
                targets: [{groupId: %s}]
                """.formatted(PRIVATE_KEY, GROUP));
        assertProblem(both, "atlas.auth", "not both");
        assertProblem(both, "atlas.auth.serviceAccount.clientSecret", "must not be empty");

        ConfigException missing = fails("""
                atlas:
                  auth:
                    digest: {publicKey: "  "}
                targets: [{groupId: %s}]
                """.formatted(GROUP));
        assertProblem(missing, "atlas.auth.digest.publicKey", "must not be empty");
        assertProblem(missing, "atlas.auth.digest.privateKey", "is required");
        assertEquals(2, missing.problems().size(), missing::getMessage);
    }

    @Test
    void unknownKeysAreReportedWithAHintWhenOneIsClose() {
        ConfigException e = fails(minimal("""
                pol:
                  interval: 1m
                alerts:
                  stuck: {inprogressafter: 2h}
                  sinks:
                    - {type: slack, url: "https://hooks.slack.com/x", secret: nope}
                metrics: true
                """).replace("publicKey", "publickey"));

        assertProblem(e, "pol", "unknown key (did you mean 'poll'?)");
        assertProblem(e, "alerts.stuck.inprogressafter", "did you mean 'inProgressAfter'?");
        assertProblem(e, "atlas.auth.digest.publickey", "did you mean 'publicKey'?");
        assertProblem(e, "alerts.sinks[0].secret", "unknown key");
        assertProblem(e, "metrics", "unknown key (expected one of: atlas, targets, poll, alerts, remediation, server, state, coverage, sharding)");
    }

    @Test
    void perTargetOverridesOnlyForPollAndAlertsStuck() {
        ConfigException e = fails(withTargets("""
                targets:
                  - groupId: %s
                    stuck: {queuedAfter: 1m}
                    alerts:
                      failed: {enabled: false}
                    poll: {interval: -1m}
                """.formatted(GROUP)));

        assertProblem(e, "targets[0].stuck", "go under 'alerts.stuck'");
        assertProblem(e, "targets[0].alerts.failed", "unknown key (expected one of: stuck)");
        assertProblem(e, "targets[0].poll.interval", "must not be negative");
    }

    @Test
    void numbersAndBooleansAreChecked() {
        ConfigException e = fails(minimal("""
                alerts:
                  failed: {enabled: yes}
                  stuck: {inProgressAfter: 0s}
                """).replace("auth:", "maxConcurrency: 0\n  requestsPerMinute: lots\n  requestTimeout: 0s\n  auth:"));

        assertProblem(e, "atlas.maxConcurrency", "must be at least 1, got 0");
        assertProblem(e, "atlas.requestsPerMinute", "must be a whole number, got 'lots'");
        assertProblem(e, "atlas.requestTimeout", "must be greater than 0");
        assertProblem(e, "alerts.failed.enabled", "must be true or false, got 'yes'");
        assertProblem(e, "alerts.stuck.inProgressAfter", "must be greater than 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9871", "host:99999", "host:port", ":9871", "[::1]", "my host:80"})
    void listenMustBeHostColonPort(String listen) {
        assertProblem(fails(minimal("server: {listen: \"" + listen + "\"}")), "server.listen", "must be HOST:PORT");
    }

    @Test
    void apiVersionBaseUrlAndSeverityAreChecked() {
        ConfigException e = fails(minimal("""
                alerts:
                  cancelled: {severity: ""}
                  targetDown: {severity: " "}
                """).replace("auth:", "apiVersion: v3\n  baseUrl: ftp://cloud.mongodb.com\n  auth:"));

        assertProblem(e, "atlas.apiVersion", "must be v2 or v1.0, got 'v3'");
        assertProblem(e, "atlas.baseUrl", "must be an absolute http(s) URL");
        assertProblem(e, "alerts.cancelled.severity", "must not be empty");
        assertProblem(e, "alerts.targetDown.severity", "must not be empty");
        assertProblem(fails(minimal("").replace("auth:", "baseUrl: \"https://x/?a=1\"\n  auth:")),
                "atlas.baseUrl", "must not have a query");
    }

    @Test
    void sinksAreChecked() {
        ConfigException e = fails(minimal("""
                alerts:
                  sinks:
                    - {type: webhook}
                    - {type: pagerduty}
                    - {type: slak, url: "https://hooks.slack.com/x"}
                    - {type: carrier-pigeon}
                    - {url: "http://127.0.0.1:1"}
                    - {type: alertmanager, url: "not a url"}
                    - {type: webhook, url: "http://127.0.0.1:1", headers: {"Bad Name": v, X-Token: "a\\nb"}}
                """));

        assertProblem(e, "alerts.sinks[0].url", "is required");
        assertProblem(e, "alerts.sinks[1].routingKey", "is required");
        assertProblem(e, "alerts.sinks[2].type", "unknown sink type 'slak' (did you mean 'slack'?)");
        assertProblem(e, "alerts.sinks[3].type", "expected one of: webhook, slack, alertmanager, pagerduty");
        assertProblem(e, "alerts.sinks[4].type", "is required");
        assertProblem(e, "alerts.sinks[5].url", "must be an absolute http(s) URL");
        assertProblem(e, "alerts.sinks[6].headers.Bad Name", "not a valid HTTP header name");
        assertProblem(e, "alerts.sinks[6].headers.X-Token", "must not contain line breaks");
        assertEquals(8, e.problems().size(), e::getMessage);
    }

    @Test
    void allProblemsAreCollectedInFileOrderWithLineNumbers() {
        ConfigException e = fails("""
                atlas:
                  auth:
                    digest: {publicKey: pub, privateKey: x}
                  maxConcurrency: 0
                targets:
                  - groupId: nope
                poll:
                  interval: soon
                server:
                  listen: nowhere
                """);

        assertEquals(List.of(
                SOURCE + ":4: atlas.maxConcurrency: must be at least 1, got 0 (allowed: 1..256)",
                SOURCE + ":6: targets[0].groupId: must be 24 lower-case hex digits (^[a-f0-9]{24}$), got 'nope'",
                SOURCE + ":8: poll.interval: not a duration: 'soon' (use e.g. 500ms, 90s, 15m, 6h, 7d or 1h30m)",
                SOURCE + ":10: server.listen: must be HOST:PORT with a port 0..65535 (e.g. 0.0.0.0:9871), got 'nowhere'"),
                e.problems());
        assertEquals(String.join("\n", e.problems()), e.getMessage());
        assertEquals(SOURCE, e.source());
    }

    @Test
    void emptyOrNonMappingDocumentsAreReported() {
        ConfigException empty = fails("");
        assertProblem(empty, "targets", "at least one target is required");
        assertProblem(empty, "atlas.auth", "is required");
        assertTrue(fails("- just\n- a list\n").problems().get(0).contains("expected a mapping of keys, got a list"));
    }

    @Test
    void duplicateKeysAndUnknownAliasesAreReported() {
        ConfigException e = fails(minimal("""
                poll: {interval: 1m}
                poll: {interval: 2m}
                state: {path: *nowhere}
                """));

        assertProblem(e, "poll", "duplicate key");
        assertProblem(e, "state.path", "unknown alias '*nowhere'");
    }

    @Test
    void secretsNeverAppearInErrorMessages() {
        String slackToken = "xoxTOKEN4242";
        String yaml = """
                atlas:
                  auth:
                    digest: {publicKey: pub, privateKey: "%s", privatKey: "%s"}
                    serviceAccount: {clientId: id, clientSecret: "%s"}
                targets: [{groupId: %s}]
                alerts:
                  sinks:
                    - {type: slack, url: "htps://hooks.slack.com/services/T0/B0/%s"}
                    - {type: webhook, url: "${HOOK_URL}", secret: "%s", sekret: "%s"}
                    - {type: pagerduty, routingKey: ["%s"]}
                    - {type: webhook, url: "http://h", headers: {Authorization: "Bearer %s\\n"}}
                """.formatted(PRIVATE_KEY, PRIVATE_KEY, PRIVATE_KEY, GROUP, slackToken, PRIVATE_KEY, PRIVATE_KEY,
                PRIVATE_KEY, PRIVATE_KEY);

        ConfigException e = fails(yaml, Map.of("HOOK_URL", "http//no-scheme/" + slackToken));

        assertEquals(7, e.problems().size(), e::getMessage);
        assertFalse(e.getMessage().contains("SECRET"), e::getMessage);
        assertFalse(e.getMessage().contains(slackToken), e::getMessage);
    }

    @Test
    void yamlSyntaxErrorsGiveTheLineButNotTheSourceText() {
        ConfigException e = fails("""
                atlas:
                  auth:
                    digest: {publicKey: pub, privateKey: "%s"
                targets: []
                """.formatted(PRIVATE_KEY));

        assertEquals(1, e.problems().size());
        assertTrue(e.getMessage().startsWith(SOURCE + ": invalid YAML at line "), e::getMessage);
        assertFalse(e.getMessage().contains("SECRET"), e::getMessage);
    }
}
