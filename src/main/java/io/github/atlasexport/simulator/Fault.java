package io.github.atlasexport.simulator;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Trouble the simulator makes on purpose, for API requests ({@code /api/...}, never {@code /__sim/}).
 * Scoped to every request, to one project ({@code groupId}) or to one cluster ({@code groupId} +
 * {@code clusterName}). Applies to a {@code fraction} of matching requests, at most {@code count}
 * times when a count is given, then goes quiet.
 *
 * <p>YAML/JSON: {@code {kind: error, status: 503, retryAfter: 2s, groupId: ..., fraction: 0.5, count: 3}}.
 *
 * @param kind       latency (delay the answer by {@code latency}), error (answer {@code status}, 500 by
 *                   default; a 503 carries {@code Retry-After} when {@code retryAfter} is set), reset
 *                   (close the connection without answering), malformed (a 200 whose JSON body is cut
 *                   short), rateLimit (a 429 {@code RATE_LIMITED_TOKEN_BUCKET} with {@code Retry-After})
 * @param fraction   share of matching requests hit, 0 (exclusive) .. 1 [1]
 * @param count      how many times the fault fires before it is spent; null = no limit
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Fault(Kind kind, String groupId, String clusterName, Double fraction, Integer count,
                    Integer status, Duration latency, Duration retryAfter) {

    public Fault {
        requireNonNull(kind, "kind must not be null");
        fraction = fraction == null ? 1.0 : fraction;
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        if (count != null && count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        if (clusterName != null && groupId == null) {
            throw new IllegalArgumentException("clusterName needs a groupId as well");
        }
        switch (kind) {
            case ERROR -> {
                status = status == null ? 500 : status;
                if (status < 500 || status > 599) {
                    throw new IllegalArgumentException("status must be a 5xx code, got " + status);
                }
            }
            case LATENCY -> {
                if (latency == null || latency.isNegative() || latency.isZero()) {
                    throw new IllegalArgumentException("latency must be given and positive for a latency fault");
                }
            }
            case RATE_LIMIT -> retryAfter = retryAfter == null ? Duration.ofSeconds(10) : retryAfter;
            default -> { }
        }
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative, got " + retryAfter);
        }
    }

    public static Fault latency(Duration latency) {
        return new Fault(Kind.LATENCY, null, null, null, null, null, latency, null);
    }

    public static Fault error(int status) {
        return new Fault(Kind.ERROR, null, null, null, null, status, null, null);
    }

    /** A 503 with a {@code Retry-After} header. */
    public static Fault unavailable(Duration retryAfter) {
        return new Fault(Kind.ERROR, null, null, null, null, 503, null, retryAfter);
    }

    public static Fault reset() {
        return new Fault(Kind.RESET, null, null, null, null, null, null, null);
    }

    public static Fault malformed() {
        return new Fault(Kind.MALFORMED, null, null, null, null, null, null, null);
    }

    public static Fault rateLimited(Duration retryAfter) {
        return new Fault(Kind.RATE_LIMIT, null, null, null, null, null, null, retryAfter);
    }

    public Fault forGroup(String groupId) {
        return new Fault(kind, groupId, null, fraction, count, status, latency, retryAfter);
    }

    public Fault forCluster(String groupId, String clusterName) {
        return new Fault(kind, groupId, clusterName, fraction, count, status, latency, retryAfter);
    }

    public Fault times(int count) {
        return new Fault(kind, groupId, clusterName, fraction, count, status, latency, retryAfter);
    }

    public Fault sometimes(double fraction) {
        return new Fault(kind, groupId, clusterName, fraction, count, status, latency, retryAfter);
    }

    /** Whether a request for this project and cluster (either may be null) is in scope. */
    boolean matches(String requestGroupId, String requestClusterName) {
        return (groupId == null || groupId.equals(requestGroupId))
                && (clusterName == null || clusterName.equals(requestClusterName));
    }

    public enum Kind {
        LATENCY, ERROR, RESET, MALFORMED, RATE_LIMIT;

        @JsonCreator
        public static Kind parse(String text) {
            return EnumNames.parse(Kind.class, text, "kind");
        }

        /** lower camel case, as written in scenario files: {@code rateLimit}. */
        @JsonValue
        @Override
        public String toString() {
            String name = EnumNames.display(this);
            return Character.toLowerCase(name.charAt(0)) + name.substring(1);
        }
    }
}
