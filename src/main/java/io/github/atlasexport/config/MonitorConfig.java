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
                            Remediation remediation) {

    public MonitorConfig {
        targets = List.copyOf(targets);
        remediation = remediation == null ? ConfigDefaults.REMEDIATION : remediation;
    }

    /** With the default (off) remediation. */
    public MonitorConfig(Atlas atlas, List<Target> targets, Poll poll, Alerts alerts, Server server, State state) {
        this(atlas, targets, poll, alerts, server, state, null);
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
                         Threshold targetDown, List<Sink> sinks, Delivery delivery) {
        public Alerts {
            sinks = List.copyOf(sinks);
            delivery = delivery == null ? ConfigDefaults.DELIVERY : delivery;
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

    public record Server(String host, int port) {

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
}
