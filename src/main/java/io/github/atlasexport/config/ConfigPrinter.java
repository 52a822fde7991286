package io.github.atlasexport.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.atlasexport.atlas.Credentials;
import io.github.atlasexport.config.MonitorConfig.Alerts;
import io.github.atlasexport.config.MonitorConfig.Atlas;
import io.github.atlasexport.config.MonitorConfig.Poll;
import io.github.atlasexport.config.MonitorConfig.SecretFiles;
import io.github.atlasexport.config.MonitorConfig.Sink;
import io.github.atlasexport.config.MonitorConfig.Stuck;
import io.github.atlasexport.config.MonitorConfig.Target;
import io.github.atlasexport.config.MonitorConfig.Threshold;
import io.github.atlasexport.config.MonitorConfig.Toggle;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        root.put("atlas", atlas(config.atlas(), config.secretFiles()));
        root.put("targets", config.targets().stream().map(t -> target(t, config)).toList());
        root.put("poll", poll(config.poll()));
        root.put("alerts", alerts(config.alerts(), config.secretFiles()));
        root.put("remediation", remediation(config.remediation()));
        root.put("server", server(config.server()));
        root.put("state", Map.of("path", config.state().path().toString()));
        root.put("coverage", ordered("enabled", config.coverage().enabled(),
                "interval", Durations.format(config.coverage().interval())));
        Map<String, Object> sharding = new LinkedHashMap<>();
        sharding.put("shards", config.sharding().shards());
        sharding.put("shard", config.sharding().shard());
        root.put("sharding", sharding);
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // plain maps of strings cannot fail to serialise
        }
    }

    private static Map<String, Object> atlas(Atlas atlas, SecretFiles files) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("baseUrl", Redact.userInfo(atlas.baseUrl().toString()));
        out.put("apiVersion", atlas.apiVersion().pathSegment());
        out.put("auth", auth(atlas.auth(), files));
        out.put("requestTimeout", Durations.format(atlas.requestTimeout()));
        out.put("maxConcurrency", atlas.maxConcurrency());
        out.put("requestsPerMinute", atlas.requestsPerMinute());
        return out;
    }

    private static Map<String, Object> auth(Credentials auth, SecretFiles files) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (auth instanceof Credentials.Digest d) {
            out.put("publicKey", d.publicKey());
            putSecret(out, "atlas.auth.digest", "privateKey", d.privateKey(), files);
            return Map.of("digest", out);
        }
        Credentials.ServiceAccount s = (Credentials.ServiceAccount) auth;
        out.put("clientId", s.clientId());
        putSecret(out, "atlas.auth.serviceAccount", "clientSecret", s.clientSecret(), files);
        return Map.of("serviceAccount", out);
    }

    /** A secret read from a file shows as its {@code ...File} key and the file's path; any other as a mask. */
    private static void putSecret(Map<String, Object> out, String parentPath, String key, String secret, SecretFiles files) {
        Optional<Path> file = files.of(KeyPaths.child(parentPath, key));
        if (file.isPresent()) {
            out.put(key + SecretReader.FILE_SUFFIX, file.get().toString());
        } else {
            putIfSet(out, key, Redact.secret(secret));
        }
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

    private static Map<String, Object> alerts(Alerts alerts, SecretFiles files) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("failed", toggle(alerts.failed()));
        out.put("cancelled", toggle(alerts.cancelled()));
        out.put("stuck", stuck(alerts.stuck()));
        out.put("noRecentSuccess", threshold(alerts.noRecentSuccess()));
        out.put("targetDown", threshold(alerts.targetDown()));
        out.put("overdue", ordered("grace", Durations.format(alerts.overdue().grace()),
                "severity", alerts.overdue().severity()));
        out.put("bucketFailing", ordered("after", alerts.bucketFailing().after(),
                "severity", alerts.bucketFailing().severity()));
        List<Object> sinks = new ArrayList<>();
        for (int i = 0; i < alerts.sinks().size(); i++) {
            sinks.add(sink(alerts.sinks().get(i), KeyPaths.index("alerts.sinks", i), files));
        }
        out.put("sinks", sinks);
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

    private static Map<String, Object> sink(Sink sink, String path, SecretFiles files) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", sink.type());
        Optional<Path> urlFile = files.of(KeyPaths.child(path, "url"));
        if (urlFile.isPresent()) {
            out.put("url" + SecretReader.FILE_SUFFIX, urlFile.get().toString());
        } else {
            out.put("url", Redact.url(sink.url()));
        }
        putSecret(out, path, "secret", sink.secret(), files);
        putSecret(out, path, "routingKey", sink.routingKey(), files);
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

    private static Map<String, Object> server(MonitorConfig.Server server) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("listen", listen(server));
        if (server.webConfigFile() != null) {
            out.put("webConfigFile", server.webConfigFile().toString());
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
