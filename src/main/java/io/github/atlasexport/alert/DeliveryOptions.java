package io.github.atlasexport.alert;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Retry policy of the dispatcher. Transient failures are retried without limit (an alert is kept
 * until delivered), with exponential backoff from {@code minBackoff} to {@code maxBackoff} and
 * {@code jitter} (0..1, a fraction of the delay either way) so that sinks recovering from an outage
 * are not hit in lockstep.
 *
 * @param maxRetryAfter   a peer's {@code Retry-After} is honoured up to this
 * @param attemptTimeout  a backstop over the sink's own HTTP timeouts
 */
public record DeliveryOptions(Duration minBackoff, Duration maxBackoff, double jitter, Duration maxRetryAfter,
                              Duration attemptTimeout) {
    public DeliveryOptions {
        requireNonNull(minBackoff, "minBackoff must not be null");
        requireNonNull(maxBackoff, "maxBackoff must not be null");
        requireNonNull(maxRetryAfter, "maxRetryAfter must not be null");
        requireNonNull(attemptTimeout, "attemptTimeout must not be null");
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be within 0..1");
        }
        if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= minBackoff <= maxBackoff");
        }
    }

    public static DeliveryOptions create() {
        return new DeliveryOptions(Duration.ofSeconds(1), Duration.ofMinutes(5), 0.5, Duration.ofHours(1),
                Duration.ofSeconds(30));
    }

    public DeliveryOptions withBackoff(Duration min, Duration max) {
        return new DeliveryOptions(min, max, jitter, maxRetryAfter, attemptTimeout);
    }

    /**
     * Delay before attempt {@code attempts + 1}: {@code minBackoff * 2^(attempts-1)} capped at
     * {@code maxBackoff}, then moved by up to {@code jitter} of itself; {@code random} is in [0, 1).
     */
    public Duration backoff(int attempts, double random) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 30);
        long base = Math.min(maxBackoff.toMillis(), minBackoff.toMillis() << doublings);
        if (base < 0 || base > maxBackoff.toMillis()) {
            base = maxBackoff.toMillis();
        }
        long jittered = Math.round(base * (1 + jitter * (2 * random - 1)));
        return Duration.ofMillis(Math.max(0, jittered));
    }

    /** The wait before the next attempt: the peer's Retry-After when it sent one, else backoff. */
    Duration delayAfter(DeliveryResult result, int attempts, double random) {
        if (result.retryAfter() != null) {
            return result.retryAfter().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : result.retryAfter();
        }
        return backoff(attempts, random);
    }
}
