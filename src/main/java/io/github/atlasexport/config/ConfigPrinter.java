package io.github.atlasexport.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.atlasexport.atlas.Credentials;
import io.github.atlasexport.config.MonitorConfig.Alerts;
import io.github.atlasexport.config.MonitorConfig.Atlas;
import io.github.atlasexport.config.MonitorConfig.Poll;
import io.github.atlasexport.config.MonitorConfig.Sink;
import io.github.atlasexport.config.MonitorConfig.Stuck;
import io.github.atlasexport.config.MonitorConfig.Target;
import io.github.atlasexport.config.MonitorConfig.Threshold;
import io.github.atlasexport.config.MonitorConfig.Toggle;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the effective config as YAML in the file's own layout, every default spelled out and every
 * secret masked ({@code check-config}). A target shows {@code poll} / {@code alerts.stuck} / {@code remediation} only where
 * they differ from the globals. The output loads again (with the masks as values).
 */
public final class ConfigPrinter {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    private ConfigPrinter() {
    }

    public static String render(MonitorConfig config) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("atlas", atlas(config.atlas()));
        root.put("targets", config.targets().stream().map(t -> target(t, config)).toList());
        root.put("poll", poll(config.poll()));
        root.put("alerts", alerts(config.alerts()));
        root.put("remediation", remediation(config.remediation()));
        root.put("server", Map.of("listen", listen(config.server())));
        root.put("state", Map.of("path", config.state().path().toString()));
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // plain maps of strings cannot fail to serialise
        }
    }

    private static Map<String, Object> atlas(Atlas atlas) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("baseUrl", Redact.userInfo(atlas.baseUrl().toString()));
        out.put("apiVersion", atlas.apiVersion().pathSegment());
        out.put("auth", auth(atlas.auth()));
        out.put("requestTimeout", Durations.format(atlas.requestTimeout()));
        out.put("maxConcurrency", atlas.maxConcurrency());
        out.put("requestsPerMinute", atlas.requestsPerMinute());
        return out;
    }

    private static Map<String, Object> auth(Credentials auth) {
        if (auth instanceof Credentials.Digest d) {
            return Map.of("digest", ordered("publicKey", d.publicKey(), "privateKey", Redact.secret(d.privateKey())));
        }
        Credentials.ServiceAccount s = (Credentials.ServiceAccount) auth;
        return Map.of("serviceAccount", ordered("clientId", s.clientId(), "clientSecret", Redact.secret(s.clientSecret())));
    }

    private static Map<String, Object> target(Target target, MonitorConfig config) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("groupId", target.groupId());
        out.put("clusters", target.discoverAll() ? "*" : target.clusters());
        if (!target.poll().equals(config.poll())) {
            out.put("poll", poll(target.poll()));
        }
        if (!target.stuck().equals(config.alerts().stuck())) {
            out.put("alerts", Map.of("stuck", stuck(target.stuck())));
        }
        if (!target.remediation().equals(config.remediation())) {
            out.put("remediation", remediation(target.remediation()));
        }
        return out;
    }

    private static Map<String, Object> remediation(MonitorConfig.Remediation remediation) {
        MonitorConfig.RetryFailed retry = remediation.retryFailed();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", retry.enabled());
        out.put("after", Durations.format(retry.after()));
        out.put("maxAttempts", retry.maxAttempts());
        out.put("dryRun", retry.dryRun());
        out.put("errorCodes", retry.errorCodes());
        return Map.of("retryFailed", out);
    }

    private static Map<String, Object> poll(Poll poll) {
        return ordered("interval", Durations.format(poll.interval()),
                "activeInterval", Durations.format(poll.activeInterval()),
                "historyWindow", Durations.format(poll.historyWindow()));
    }

    private static Map<String, Object> alerts(Alerts alerts) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("failed", toggle(alerts.failed()));
        out.put("cancelled", toggle(alerts.cancelled()));
        out.put("stuck", stuck(alerts.stuck()));
        out.put("noRecentSuccess", threshold(alerts.noRecentSuccess()));
        out.put("targetDown", threshold(alerts.targetDown()));
        out.put("sinks", alerts.sinks().stream().map(ConfigPrinter::sink).toList());
        out.put("delivery", ordered("maxAge", Durations.format(alerts.delivery().maxAge()),
                "timeout", Durations.format(alerts.delivery().timeout())));
        return out;
    }

    private static Map<String, Object> toggle(Toggle toggle) {
        return ordered("enabled", toggle.enabled(), "severity", toggle.severity());
    }

    private static Map<String, Object> stuck(Stuck stuck) {
        return ordered("inProgressAfter", Durations.format(stuck.inProgressAfter()),
                "queuedAfter", Durations.format(stuck.queuedAfter()),
                "severity", stuck.severity());
    }

    private static Map<String, Object> threshold(Threshold threshold) {
        return ordered("after", Durations.format(threshold.after()), "severity", threshold.severity());
    }

    private static Map<String, Object> sink(Sink sink) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", sink.type());
        out.put("url", Redact.url(sink.url()));
        putIfSet(out, "secret", Redact.secret(sink.secret()));
        putIfSet(out, "routingKey", Redact.secret(sink.routingKey()));
        if (!sink.headers().isEmpty()) {
            Map<String, Object> headers = new LinkedHashMap<>();
            sink.headers().keySet().forEach(name -> headers.put(name, Redact.MASK));
            out.put("headers", headers);
        }
        if (sink.timeout() != null) {
            out.put("timeout", Durations.format(sink.timeout()));
        }
        return out;
    }

    private static String listen(MonitorConfig.Server server) {
        String host = server.host().contains(":") ? "[" + server.host() + "]" : server.host();
        return host + ":" + server.port();
    }

    private static void putIfSet(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    /** Key order as in the file, which {@code Map.of} does not keep. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }
}
