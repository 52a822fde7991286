package io.github.atlasexport.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.Credentials;
import io.github.atlasexport.config.MonitorConfig.Alerts;
import io.github.atlasexport.config.MonitorConfig.Atlas;
import io.github.atlasexport.config.MonitorConfig.Poll;
import io.github.atlasexport.config.MonitorConfig.Remediation;
import io.github.atlasexport.config.MonitorConfig.RetryFailed;
import io.github.atlasexport.config.MonitorConfig.Server;
import io.github.atlasexport.config.MonitorConfig.State;
import io.github.atlasexport.config.MonitorConfig.Stuck;
import io.github.atlasexport.config.MonitorConfig.Target;
import io.github.atlasexport.config.MonitorConfig.Threshold;
import io.github.atlasexport.config.MonitorConfig.Toggle;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Maps the YAML tree onto {@link MonitorConfig}, filling in {@link ConfigDefaults} and merging the
 * per-target overrides ({@code targets[i].poll}, {@code targets[i].alerts.stuck}, {@code targets[i].remediation})
 * over the globals.
 * Problems go to the {@link Problems} given; the result is only meaningful when there are none.
 */
final class ConfigMapper {

    private static final Pattern GROUP_ID = Pattern.compile("^[a-f0-9]{24}$");
    private static final Pattern CLUSTER_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9-]*$");
    private static final String ALL_CLUSTERS = "*";

    // The allowed ranges: wide enough for any sane setup, narrow enough that no delay, sum or
    // multiple of a value overflows, and that a typo (an extra zero or two) is caught.
    static final Duration MIN_REQUEST_TIMEOUT = Duration.ofSeconds(1);
    static final Duration MAX_REQUEST_TIMEOUT = Duration.ofMinutes(5);
    static final int MAX_CONCURRENCY = 256;
    static final int MAX_REQUESTS_PER_MINUTE = 100_000;
    /** Sub-second polling is for simulated worlds (tests, demos); Atlas itself is paced by requestsPerMinute. */
    static final Duration MIN_POLL_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_POLL_INTERVAL = Duration.ofHours(24);
    static final Duration MAX_HISTORY_WINDOW = Duration.ofDays(90);
    static final Duration MIN_THRESHOLD = Duration.ofSeconds(1);
    static final Duration MAX_STUCK = Duration.ofDays(30);
    static final Duration MAX_NO_RECENT_SUCCESS = Duration.ofDays(90);
    static final Duration MAX_TARGET_DOWN = Duration.ofDays(7);
    static final Duration MAX_OVERDUE_GRACE = Duration.ofDays(31);
    static final int MAX_BUCKET_FAILING_AFTER = 100;
    /** Sub-second for simulated worlds, like the polls; at most a day (schedules do change). */
    static final Duration MIN_COVERAGE_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_COVERAGE_INTERVAL = Duration.ofHours(24);
    static final Duration MAX_RETRY_AFTER = Duration.ofDays(30);
    static final int MAX_RETRY_ATTEMPTS = 10;

    private ConfigMapper() {
    }

    static MonitorConfig map(Section root) {
        SecretReader secrets = new SecretReader();
        Atlas atlas = atlas(root.section("atlas"), secrets);
        List<Section> targetSections = root.sections("targets"); // read in file order, for "expected one of"
        Poll poll = poll(root.section("poll"), ConfigDefaults.POLL);
        Alerts alerts = alerts(root.section("alerts"), secrets);
        Remediation remediation = remediation(root.section("remediation"), ConfigDefaults.REMEDIATION);
        List<Target> targets = targets(root, targetSections, poll, alerts.stuck(), remediation);
        Server server = server(root.section("server"));
        State state = state(root.section("state"));
        MonitorConfig.Coverage coverage = coverage(root.section("coverage"));
        MonitorConfig.Sharding sharding = sharding(root.section("sharding"));
        root.finish();
        return new MonitorConfig(atlas, targets, poll, alerts, server, state, secrets.files(), coverage, sharding,
                remediation);
    }

    private static Atlas atlas(Section s, SecretReader secrets) {
        URI baseUrl = s.text("baseUrl").flatMap(text -> baseUrl(s, text)).orElse(ConfigDefaults.BASE_URL);
        ApiVersion apiVersion = s.text("apiVersion").flatMap(text -> apiVersion(s, text)).orElse(ConfigDefaults.API_VERSION);
        Credentials auth = auth(s, secrets);
        Atlas atlas = new Atlas(baseUrl, apiVersion, auth,
                s.duration("requestTimeout", ConfigDefaults.REQUEST_TIMEOUT, MIN_REQUEST_TIMEOUT, MAX_REQUEST_TIMEOUT, false),
                s.integer("maxConcurrency", ConfigDefaults.MAX_CONCURRENCY, 1, MAX_CONCURRENCY),
                s.integer("requestsPerMinute", ConfigDefaults.REQUESTS_PER_MINUTE, 1, MAX_REQUESTS_PER_MINUTE));
        s.finish();
        return atlas;
    }

    private static Optional<URI> baseUrl(Section s, String text) {
        Optional<URI> uri = HttpUrls.parse(text);
        if (uri.isEmpty()) {
            s.problem("baseUrl", "must be an absolute http(s) URL like https://cloud.mongodb.com, got " + s.quoted("baseUrl", text));
        } else if (uri.get().getRawQuery() != null || uri.get().getRawFragment() != null) {
            s.problem("baseUrl", "must not have a query or fragment");
        }
        // Paths are appended to it, so a trailing slash would double up.
        return uri.map(u -> URI.create(u.toString().replaceAll("/+$", "")));
    }

    private static Optional<ApiVersion> apiVersion(Section s, String text) {
        try {
            return Optional.of(ApiVersion.parse(text.strip()));
        } catch (IllegalArgumentException e) {
            s.problem("apiVersion", "must be v2 or v1.0, got " + s.quoted("apiVersion", text));
            return Optional.empty();
        }
    }

    private static Credentials auth(Section atlas, SecretReader secrets) {
        if (!atlas.has("auth")) {
            atlas.problem("auth", "is required: set digest {publicKey, privateKey} or serviceAccount {clientId, clientSecret}");
            return null;
        }
        Section s = atlas.section("auth");
        boolean digest = s.has("digest");
        boolean serviceAccount = s.has("serviceAccount");
        Credentials fromDigest = digest ? digest(s.section("digest"), secrets) : null;
        Credentials fromServiceAccount = serviceAccount ? serviceAccount(s.section("serviceAccount"), secrets) : null;
        s.finish();
        if (digest == serviceAccount) {
            s.problem(digest
                    ? "set exactly one of digest or serviceAccount, not both"
                    : "set exactly one of digest {publicKey, privateKey} or serviceAccount {clientId, clientSecret}");
            return null;
        }
        return digest ? fromDigest : fromServiceAccount;
    }

    private static Credentials digest(Section s, SecretReader secrets) {
        Optional<String> publicKey = s.required("publicKey");
        Optional<String> privateKey = secrets.read(s, "privateKey", true);
        s.finish();
        return publicKey.isPresent() && privateKey.isPresent()
                ? new Credentials.Digest(publicKey.get(), privateKey.get()) : null;
    }

    private static Credentials serviceAccount(Section s, SecretReader secrets) {
        Optional<String> clientId = s.required("clientId");
        Optional<String> clientSecret = secrets.read(s, "clientSecret", true);
        s.finish();
        return clientId.isPresent() && clientSecret.isPresent()
                ? new Credentials.ServiceAccount(clientId.get(), clientSecret.get()) : null;
    }

    /** Reads a {@code poll} mapping; every key it leaves out comes from {@code base}. */
    private static Poll poll(Section s, Poll base) {
        Poll poll = new Poll(
                s.duration("interval", base.interval(), MIN_POLL_INTERVAL, MAX_POLL_INTERVAL, false),
                s.duration("activeInterval", base.activeInterval(), MIN_POLL_INTERVAL, MAX_POLL_INTERVAL, false),
                s.duration("historyWindow", base.historyWindow(), Duration.ZERO, MAX_HISTORY_WINDOW, true));
        s.finish();
        return poll;
    }

    /** Reads a {@code stuck} mapping; every key it leaves out comes from {@code base}. */
    private static Stuck stuck(Section s, Stuck base) {
        Stuck stuck = new Stuck(
                s.duration("inProgressAfter", base.inProgressAfter(), MIN_THRESHOLD, MAX_STUCK, false),
                s.duration("queuedAfter", base.queuedAfter(), MIN_THRESHOLD, MAX_STUCK, false),
                s.nonBlank("severity", base.severity()));
        s.finish();
        return stuck;
    }

    private static Alerts alerts(Section s, SecretReader secrets) {
        Alerts alerts = new Alerts(
                toggle(s.section("failed"), ConfigDefaults.FAILED),
                toggle(s.section("cancelled"), ConfigDefaults.CANCELLED),
                stuck(s.section("stuck"), ConfigDefaults.STUCK),
                threshold(s.section("noRecentSuccess"), ConfigDefaults.NO_RECENT_SUCCESS, MAX_NO_RECENT_SUCCESS),
                threshold(s.section("targetDown"), ConfigDefaults.TARGET_DOWN, MAX_TARGET_DOWN),
                SinkMapper.sinks(s, secrets),
                delivery(s.section("delivery")),
                overdue(s.section("overdue")),
                bucketFailing(s.section("bucketFailing")));
        s.finish();
        return alerts;
    }

    private static MonitorConfig.Overdue overdue(Section s) {
        MonitorConfig.Overdue overdue = new MonitorConfig.Overdue(
                s.duration("grace", ConfigDefaults.OVERDUE.grace(), Duration.ZERO, MAX_OVERDUE_GRACE, true),
                s.nonBlank("severity", ConfigDefaults.OVERDUE.severity()));
        s.finish();
        return overdue;
    }

    private static MonitorConfig.BucketFailing bucketFailing(Section s) {
        MonitorConfig.BucketFailing bucketFailing = new MonitorConfig.BucketFailing(
                s.integer("after", ConfigDefaults.BUCKET_FAILING.after(), 1, MAX_BUCKET_FAILING_AFTER),
                s.nonBlank("severity", ConfigDefaults.BUCKET_FAILING.severity()));
        s.finish();
        return bucketFailing;
    }

    private static MonitorConfig.Coverage coverage(Section s) {
        MonitorConfig.Coverage coverage = new MonitorConfig.Coverage(
                s.bool("enabled", ConfigDefaults.COVERAGE.enabled()),
                s.duration("interval", ConfigDefaults.COVERAGE.interval(), MIN_COVERAGE_INTERVAL, MAX_COVERAGE_INTERVAL, false));
        s.finish();
        return coverage;
    }

    private static MonitorConfig.Delivery delivery(Section s) {
        MonitorConfig.Delivery delivery = new MonitorConfig.Delivery(
                s.duration("maxAge", ConfigDefaults.DELIVERY.maxAge(),
                        ConfigDefaults.MIN_DELIVERY_MAX_AGE, ConfigDefaults.MAX_DELIVERY_MAX_AGE, false),
                deliveryTimeout(s, ConfigDefaults.DELIVERY.timeout()));
        s.finish();
        return delivery;
    }

    /** {@code alerts.delivery.timeout} and each sink's {@code timeout}: the same bounds. */
    static Duration deliveryTimeout(Section s, Duration fallback) {
        return s.duration("timeout", fallback, ConfigDefaults.MIN_DELIVERY_TIMEOUT, ConfigDefaults.MAX_DELIVERY_TIMEOUT, false);
    }

    private static Toggle toggle(Section s, Toggle base) {
        Toggle toggle = new Toggle(s.bool("enabled", base.enabled()), s.nonBlank("severity", base.severity()));
        s.finish();
        return toggle;
    }

    /** {@code after: 0s} turns the rule off. */
    private static Threshold threshold(Section s, Threshold base, Duration max) {
        Threshold threshold = new Threshold(s.duration("after", base.after(), MIN_THRESHOLD, max, true),
                s.nonBlank("severity", base.severity()));
        s.finish();
        return threshold;
    }

    /** Reads a {@code remediation} mapping; every key it leaves out comes from {@code base}. */
    private static Remediation remediation(Section s, Remediation base) {
        Section r = s.section("retryFailed");
        RetryFailed baseRetry = base.retryFailed();
        RetryFailed retryFailed = new RetryFailed(
                r.bool("enabled", baseRetry.enabled()),
                r.duration("after", baseRetry.after(), MIN_THRESHOLD, MAX_RETRY_AFTER, true),
                r.integer("maxAttempts", baseRetry.maxAttempts(), 1, MAX_RETRY_ATTEMPTS),
                r.bool("dryRun", baseRetry.dryRun()),
                r.has("errorCodes") ? errorCodes(r) : baseRetry.errorCodes());
        r.finish();
        s.finish();
        return new Remediation(retryFailed);
    }

    private static List<String> errorCodes(Section r) {
        List<String> codes = new ArrayList<>();
        r.sequence("errorCodes", (item, path) -> {
            String code = item.isValueNode() ? item.asText().strip() : "";
            if (code.isEmpty()) {
                r.problemAt(path, "must be an Atlas error code such as EXPORT_FAILED");
            } else {
                codes.add(code);
            }
        });
        return codes;
    }

    private static List<Target> targets(Section root, List<Section> sections, Poll poll, Stuck stuck,
                                        Remediation remediation) {
        if (sections.isEmpty() && (root.raw("targets").isArray() || !root.has("targets"))) {
            root.problem("targets", "at least one target is required");
        }
        List<Target> targets = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Section t : sections) {
            Target target = target(t, poll, stuck, remediation);
            if (target.groupId() != null) {
                String first = seen.putIfAbsent(target.groupId(), t.path());
                if (first != null) {
                    t.problem("groupId", "same project as " + first + "; list all its clusters in one target");
                }
            }
            targets.add(target);
        }
        return targets;
    }

    private static Target target(Section t, Poll globalPoll, Stuck globalStuck, Remediation globalRemediation) {
        String groupId = t.required("groupId").map(String::strip).orElse(null);
        if (groupId != null && !GROUP_ID.matcher(groupId).matches()) {
            t.problem("groupId", "must be 24 lower-case hex digits (^[a-f0-9]{24}$), got " + t.quoted("groupId", groupId));
        }
        List<String> clusters = clusters(t);
        Poll poll = poll(t.section("poll"), globalPoll);
        if (t.has("stuck")) {
            t.problem("stuck", "per-target stuck thresholds go under 'alerts.stuck' of the target");
        }
        Section alerts = t.section("alerts");
        Stuck stuck = stuck(alerts.section("stuck"), globalStuck);
        alerts.finish();
        Remediation remediation = remediation(t.section("remediation"), globalRemediation);
        t.finish();
        return new Target(groupId, clusters, poll, stuck, remediation);
    }

    /** Absent, {@code "*"} or {@code ["*"]}: every cluster of the project, as the empty list. */
    private static List<String> clusters(Section t) {
        JsonNode v = t.raw("clusters");
        if (v.isMissingNode() || (v.isValueNode() && v.asText().strip().equals(ALL_CLUSTERS))) {
            return List.of();
        }
        if (v.isValueNode()) {
            t.problem("clusters", "must be a list of cluster names or \"*\" for all clusters, got " + t.quoted("clusters", v.asText()));
            return List.of();
        }
        List<String> names = new ArrayList<>();
        t.sequence("clusters", (item, path) -> {
            String name = item.isValueNode() ? item.asText().strip() : null;
            if (name == null || !(name.equals(ALL_CLUSTERS) || CLUSTER_NAME.matcher(name).matches())) {
                t.problemAt(path, "must be a cluster name (^[a-zA-Z0-9][a-zA-Z0-9-]*$)" + (name == null ? "" : ", got " + t.quotedAt(path, name)));
            } else if (names.contains(name)) {
                t.problemAt(path, "duplicate cluster " + t.quotedAt(path, name));
            } else {
                names.add(name);
            }
        });
        if (names.contains(ALL_CLUSTERS)) {
            if (names.size() > 1) {
                t.problem("clusters", "\"*\" already means every cluster; list names or \"*\", not both");
            }
            return List.of();
        }
        if (v.isArray() && v.isEmpty()) {
            t.problem("clusters", "must not be empty: list cluster names, or \"*\" for all clusters");
        }
        return names;
    }

    private static Server server(Section s) {
        Server server = s.text("listen").flatMap(text -> listen(s, text)).orElse(ConfigDefaults.SERVER);
        String webConfigFile = s.text("webConfigFile").map(String::strip).filter(text -> !text.isEmpty()).orElse(null);
        if (webConfigFile != null) {
            try {
                server = server.withWebConfigFile(Path.of(webConfigFile));
            } catch (InvalidPathException e) {
                s.problem("webConfigFile", "not a valid file path: " + e.getReason());
            }
        }
        s.finish();
        return server;
    }

    private static Optional<Server> listen(Section s, String text) {
        Optional<Server> server = Server.parse(text);
        if (server.isEmpty()) {
            s.problem("listen", "must be HOST:PORT with a port 0..65535 (e.g. 0.0.0.0:9871), got " + s.quoted("listen", text));
        }
        return server;
    }

    /** {@code shards} 1..1024 and {@code shard} 0..shards-1. */
    private static MonitorConfig.Sharding sharding(Section s) {
        int shards = s.integer("shards", MonitorConfig.Sharding.NONE.shards(), 1, MonitorConfig.Sharding.MAX_SHARDS);
        int shard = s.integer("shard", MonitorConfig.Sharding.NONE.shard(), 0, MonitorConfig.Sharding.MAX_SHARDS - 1);
        MonitorConfig.Sharding sharding = MonitorConfig.Sharding.NONE;
        if (shard >= shards) {
            s.problem("shard", "must be less than shards (" + shards + "): shards are numbered 0.." + (shards - 1)
                    + ", got " + shard);
        } else {
            sharding = new MonitorConfig.Sharding(shards, shard);
        }
        s.finish();
        return sharding;
    }

    private static State state(Section s) {
        String text = s.nonBlank("path", null);
        State state = ConfigDefaults.STATE;
        if (text != null) {
            try {
                state = new State(Path.of(text));
            } catch (InvalidPathException e) {
                s.problem("path", "not a valid file path: " + e.getReason());
            }
        }
        s.finish();
        return state;
    }
}
