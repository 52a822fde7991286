package io.github.atlasexport.config;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static io.github.atlasexport.config.ConfigFixtures.GROUP;
import static io.github.atlasexport.config.ConfigFixtures.PRIVATE_KEY;
import static io.github.atlasexport.config.ConfigFixtures.load;
import static io.github.atlasexport.config.ConfigFixtures.minimal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigPrinterUnitTests {

    private static final String SLACK_TOKEN = "xoxTOKEN4242";

    private static final String FULL = """
            atlas:
              auth:
                serviceAccount: {clientId: mdb_sa_id, clientSecret: "%s"}
            targets:
              - groupId: %s
                clusters: [Cluster0]
                poll: {interval: 90s}
                alerts:
                  stuck: {queuedAfter: 30m}
              - groupId: 65aa00bb11cc22dd33ee44ff
                clusters: "*"
            alerts:
              sinks:
                - {type: webhook, url: "https://user:pw@example.com/hook?token=%s", secret: "%s", headers: {Authorization: "Bearer %s"}}
                - {type: slack, url: "https://hooks.slack.com/services/T0/B0/%s"}
                - {type: alertmanager, url: "http://127.0.0.1:9093"}
                - {type: pagerduty, routingKey: "%s"}
            server: {listen: "[::1]:9000"}
            """.formatted(PRIVATE_KEY, GROUP, SLACK_TOKEN, PRIVATE_KEY, PRIVATE_KEY, SLACK_TOKEN, PRIVATE_KEY);

    @Test
    void masksEverySecret() {
        String out = ConfigPrinter.render(load(FULL));

        assertFalse(out.contains("SECRET"), out);
        assertFalse(out.contains(SLACK_TOKEN), out);
        assertFalse(out.contains("pw@"), out);
        assertTrue(out.contains("clientId: mdb_sa_id"), out);
        assertTrue(out.contains("url: https://****@example.com/****"), out);
        assertTrue(out.contains("url: https://hooks.slack.com/****"), out);
        assertTrue(out.contains("url: http://127.0.0.1:9093"), out);
        assertTrue(out.contains("Authorization: '****'"), out);
    }

    @Test
    void printsDefaultsAndOnlyTheOverridesATargetHas() {
        String out = ConfigPrinter.render(load(minimal("")));

        assertEquals("""
                atlas:
                  baseUrl: https://cloud.mongodb.com
                  apiVersion: v2
                  auth:
                    digest:
                      publicKey: pub
                      privateKey: '****'
                  requestTimeout: 30s
                  maxConcurrency: 8
                  requestsPerMinute: 60
                targets:
                  - groupId: %s
                    clusters: '*'
                poll:
                  interval: 1m
                  activeInterval: 15s
                  historyWindow: 7d
                alerts:
                  failed:
                    enabled: true
                    severity: critical
                  cancelled:
                    enabled: true
                    severity: warning
                  stuck:
                    inProgressAfter: 6h
                    queuedAfter: 1h
                    severity: warning
                  noRecentSuccess:
                    after: 0s
                    severity: warning
                  targetDown:
                    after: 10m
                    severity: warning
                  overdue:
                    grace: 6h
                    severity: warning
                  bucketFailing:
                    after: 3
                    severity: critical
                  sinks: []
                  delivery:
                    maxAge: 1d
                    timeout: 10s
                remediation:
                  retryFailed:
                    enabled: false
                    after: 15m
                    maxAttempts: 2
                    dryRun: false
                    errorCodes: []
                server:
                  listen: 0.0.0.0:9871
                state:
                  path: data/state.db
                coverage:
                  enabled: true
                  interval: 15m
                sharding:
                  shards: 1
                  shard: 0
                """.formatted(GROUP), out);
    }

    @Test
    void outputLoadsBackToTheSameEffectiveConfigWithMaskedSecrets() {
        MonitorConfig original = load(FULL);
        String once = ConfigPrinter.render(original);

        MonitorConfig reloaded = load(once);

        assertEquals(once, ConfigPrinter.render(reloaded));
        assertEquals(original.targets(), reloaded.targets());
        assertEquals(original.poll(), reloaded.poll());
        assertEquals(original.server(), reloaded.server());
        assertEquals(Redact.MASK, reloaded.alerts().sinks().get(3).routingKey());
    }

    @Test
    void redactsUrlsAfterTheHost() {
        assertEquals("http://127.0.0.1:9093", Redact.url(URI.create("http://127.0.0.1:9093")));
        assertEquals("http://h/", Redact.url(URI.create("http://h/")));
        assertEquals("https://events.pagerduty.com/****", Redact.url(URI.create("https://events.pagerduty.com/v2/enqueue")));
        assertEquals("http://h:1/****", Redact.url(URI.create("http://h:1?k=v")));
        assertEquals("http://[::1]:8080/****", Redact.url(URI.create("http://[::1]:8080/x")));
    }
}
