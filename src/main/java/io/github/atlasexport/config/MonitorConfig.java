package io.github.atlasexport.config;

import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.Credentials;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effective, validated configuration (SPEC section 3). Immutable; built by {@code ConfigLoader}
 * with every default filled in, so consumers never see a null where a default exists.
 */
public record MonitorConfig(Atlas atlas, List<Target> targets, Poll poll, Alerts alerts, Server server, State state,
                            SecretFiles secretFiles, Coverage coverage, Sharding sharding,
                            Remediation remediation) {

    public MonitorConfig {
        targets = List.copyOf(targets);
        secretFiles = secretFiles == null ? SecretFiles.NONE : secretFiles;
        coverage = coverage == null ? ConfigDefaults.COVERAGE : coverage;
        sharding = sharding == null ? Sharding.NONE : sharding;
        remediation = remediation == null ? ConfigDefaults.REMEDIATION : remediation;
    }

    /** With every secret written in the config itself, the default {@code coverage}, not sharded. */
    public MonitorConfig(Atlas atlas, List<Target> targets, Poll poll, Alerts alerts, Server server, State state) {
        this(atlas, targets, poll, alerts, server, state, SecretFiles.NONE, null, Sharding.NONE, null);
    }

    /** With every secret written in the config itself and the default {@code coverage}. */
    public MonitorConfig(Atlas atlas, List<Target> targets, Poll poll, Alerts alerts, Server server, State state,
                         Sharding sharding) {
        this(atlas, targets, poll, alerts, server, state, SecretFiles.NONE, null, sharding, null);
    }

    public MonitorConfig withServer(Server server) {
        return new MonitorConfig(atlas, targets, poll, alerts, server, state, secretFiles, coverage, sharding, remediation);
    }

    public MonitorConfig withCoverage(Coverage newCoverage) {
        return new MonitorConfig(atlas, targets, poll, alerts, server, state, secretFiles, newCoverage, sharding, remediation);
    }

    /** The same config with another {@code sharding}, as {@code run --shard i/N} sets it. */
    public MonitorConfig withSharding(Sharding sharding) {
        return new MonitorConfig(atlas, targets, poll, alerts, server, state, secretFiles, coverage, sharding, remediation);
    }

    /** With another {@code remediation} (the default is off). */
    public MonitorConfig withRemediation(Remediation newRemediation) {
        return new MonitorConfig(atlas, targets, poll, alerts, server, state, secretFiles, coverage, sharding,
                newRemediation);
    }

    /** {@code coverage}: whether and how often schedules, snapshots and export buckets are read. */
    public record Coverage(boolean enabled, Duration interval) {
    }

    /**
     * Which secrets were read from a file ({@code privateKeyFile}, a sink's {@code secretFile}, ...), so
     * {@code check-config} shows the file rather than a mask.
     *
     * @param byKeyPath the secret's own key path ({@code atlas.auth.digest.privateKey},
     *                  {@code alerts.sinks[0].secret}) to the file it was read from
     */
    public record SecretFiles(Map<String, Path> byKeyPath) {
        public static final SecretFiles NONE = new SecretFiles(Map.of());

        public SecretFiles {
            byKeyPath = Map.copyOf(byKeyPath);
        }

        public Optional<Path> of(String keyPath) {
            return Optional.ofNullable(byKeyPath.get(keyPath));
        }
    }

    public record Atlas(URI baseUrl, ApiVersion apiVersion, Credentials auth, Duration requestTimeout,
                        int maxConcurrency, int requestsPerMinute) {
    }

    /** {@code clusters} empty means "*": discover every cluster of the project. */
    public record Target(String groupId, List<String> clusters, Poll poll, Stuck stuck, Remediation remediation) {
        public Target {
            clusters = List.copyOf(clusters);
            remediation = remediation == null ? ConfigDefaults.REMEDIATION : remediation;
        }

        /** With the default (off) remediation. */
        public Target(String groupId, List<String> clusters, Poll poll, Stuck stuck) {
            this(groupId, clusters, poll, stuck, null);
        }

        public boolean discoverAll() {
            return clusters.isEmpty();
        }
    }

    /** {@code remediation}: what the monitor may do about a failed export, beyond telling people. */
    public record Remediation(RetryFailed retryFailed) {
    }

    /**
     * Re-create a Failed export job (same snapshot, same bucket) once {@code after} has passed since the
     * failure was seen, at most {@code maxAttempts} times per original job.
     *
     * @param errorCodes only jobs whose {@code stateReason.errorCode} is one of these; empty for any
     */
    public record RetryFailed(boolean enabled, Duration after, int maxAttempts, boolean dryRun, List<String> errorCodes) {
        public RetryFailed {
            errorCodes = List.copyOf(errorCodes);
        }
    }

    public record Poll(Duration interval, Duration activeInterval, Duration historyWindow) {
    }

    public record Alerts(Toggle failed, Toggle cancelled, Stuck stuck, Threshold noRecentSuccess,
                         Threshold targetDown, List<Sink> sinks, Delivery delivery, Overdue overdue,
                         BucketFailing bucketFailing) {
        public Alerts {
            sinks = List.copyOf(sinks);
            delivery = delivery == null ? ConfigDefaults.DELIVERY : delivery;
            overdue = overdue == null ? ConfigDefaults.OVERDUE : overdue;
            bucketFailing = bucketFailing == null ? ConfigDefaults.BUCKET_FAILING : bucketFailing;
        }

        /** With the default {@code overdue} and {@code bucketFailing}. */
        public Alerts(Toggle failed, Toggle cancelled, Stuck stuck, Threshold noRecentSuccess, Threshold targetDown,
                      List<Sink> sinks, Delivery delivery) {
            this(failed, cancelled, stuck, noRecentSuccess, targetDown, sinks, delivery, null, null);
        }

        public Alerts withCoverage(Overdue newOverdue, BucketFailing newBucketFailing) {
            return new Alerts(failed, cancelled, stuck, noRecentSuccess, targetDown, sinks, delivery, newOverdue,
                    newBucketFailing);
        }

        /** With the default {@code delivery}. */
        public Alerts(Toggle failed, Toggle cancelled, Stuck stuck, Threshold noRecentSuccess, Threshold targetDown,
                      List<Sink> sinks) {
            this(failed, cancelled, stuck, noRecentSuccess, targetDown, sinks, null);
        }
    }

    /**
     * @param maxAge  a notice failing this long goes to the dead letters
     * @param timeout how long one delivery attempt may take, for sinks without a {@code timeout} of their own
     */
    public record Delivery(Duration maxAge, Duration timeout) {
    }

    public record Toggle(boolean enabled, String severity) {
    }

    /** {@code alerts.overdue}: a cluster's auto-export policy is missed once one period and {@code grace} pass without a new export. */
    public record Overdue(Duration grace, String severity) {
    }

    /** {@code alerts.bucketFailing}: the last {@code after} exports to one bucket all Failed. */
    public record BucketFailing(int after, String severity) {
    }

    public record Stuck(Duration inProgressAfter, Duration queuedAfter, String severity) {
    }

    /** {@code after} of zero disables the rule. */
    public record Threshold(Duration after, String severity) {
        public boolean enabled() {
            return !after.isZero();
        }
    }

    /**
     * One alert destination. {@code type} is webhook, slack, alertmanager or pagerduty; the other
     * fields are those of the type ({@code secret} for webhook, {@code routingKey} for pagerduty).
     *
     * @param timeout this sink's delivery attempt timeout; null for {@code alerts.delivery.timeout}
     */
    public record Sink(String type, URI url, String secret, String routingKey, Map<String, String> headers,
                       Duration timeout) {
        public Sink {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        /** With the default timeout. */
        public Sink(String type, URI url, String secret, String routingKey, Map<String, String> headers) {
            this(type, url, secret, routingKey, headers, null);
        }

        /** A stable name for metrics labels and the outbox: type, plus host to tell sinks of one type apart. */
        public String name() {
            return url == null ? type : type + ":" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
        }
    }

    /** @param webConfigFile the exporter-toolkit web config (TLS, basic auth); null for plain, open HTTP */
    public record Server(String host, int port, Path webConfigFile) {

        public Server(String host, int port) {
            this(host, port, null);
        }

        public Server withWebConfigFile(Path file) {
            return new Server(host, port, file);
        }

        /** {@code HOST:PORT}; an IPv6 host goes in brackets, {@code [::1]:9871}. Empty when malformed. */
        public static Optional<Server> parse(String text) {
            String listen = text.strip();
            int colon = listen.lastIndexOf(':');
            String host = colon > 0 ? listen.substring(0, colon) : "";
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int port = Integer.parseInt(listen.substring(colon + 1));
                if (!host.isBlank() && !host.contains(" ") && port >= 0 && port <= 65535) {
                    return Optional.of(new Server(host, port));
                }
            } catch (NumberFormatException e) {
                // malformed: empty below
            }
            return Optional.empty();
        }
    }

    public record State(Path path) {
    }

    /**
     * This replica watches the clusters whose shard ({@code monitor.ClusterShards}) is {@code shard},
     * of {@code shards} in all.
     */
    public record Sharding(int shards, int shard) {
        public static final int MAX_SHARDS = 1024;
        public static final Sharding NONE = new Sharding(1, 0);

        public Sharding {
            if (shards < 1 || shards > MAX_SHARDS) {
                throw new IllegalArgumentException("shards must be 1.." + MAX_SHARDS + ", got " + shards);
            }
            if (shard < 0 || shard >= shards) {
                throw new IllegalArgumentException("shard must be 0.." + (shards - 1) + ", got " + shard);
            }
        }

        /** {@code i/N}, as {@code run --shard} takes it. */
        public static Sharding parse(String text) {
            String[] parts = text.strip().split("/", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("must be SHARD/SHARDS like 0/3, got '" + text + "'");
            }
            try {
                return new Sharding(Integer.parseInt(parts[1].strip()), Integer.parseInt(parts[0].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be SHARD/SHARDS like 0/3 (whole numbers), got '" + text + "'");
            }
        }

        /**
         * This shard's part of a per-project request budget: {@code ceil(perProject / shards)}, so the
         * shards together stay within it give or take one request a minute each, and none gets zero.
         */
        public int requestsPerMinute(int perProject) {
            return (perProject + shards - 1) / shards;
        }

        @Override
        public String toString() {
            return shard + "/" + shards;
        }
    }
}
