package io.github.atlasexport.alert;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Retry policy of the dispatcher. Failed attempts are retried with exponential backoff from
 * {@code minBackoff} to {@code maxBackoff} and {@code jitter} (0..1, a fraction of the delay either
 * way) so that sinks recovering from an outage are not hit in lockstep, for up to {@code maxAge}
 * after the notice was queued; then it becomes a {@link DeadLetter}.
 *
 * @param maxRetryAfter   a peer's {@code Retry-After} is honoured up to this
 * @param attemptTimeout  how long one attempt may take, for sinks that set no timeout of their own
 * @param maxAge          how long a notice is retried before it is moved to the dead letters
 * @param concurrency     attempts in flight at once per sink: one slow alert does not hold up the next
 */
public record DeliveryOptions(Duration minBackoff, Duration maxBackoff, double jitter, Duration maxRetryAfter,
                              Duration attemptTimeout, Duration maxAge, int concurrency) {
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
    public static final int DEFAULT_CONCURRENCY = 4;

    public DeliveryOptions {
        requireNonNull(minBackoff, "minBackoff must not be null");
        requireNonNull(maxBackoff, "maxBackoff must not be null");
        requireNonNull(maxRetryAfter, "maxRetryAfter must not be null");
        requireNonNull(attemptTimeout, "attemptTimeout must not be null");
        requireNonNull(maxAge, "maxAge must not be null");
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be within 0..1");
        }
        if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= minBackoff <= maxBackoff");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
    }

    /** With the default {@code maxAge} and {@code concurrency}. */
    public DeliveryOptions(Duration minBackoff, Duration maxBackoff, double jitter, Duration maxRetryAfter,
                           Duration attemptTimeout) {
        this(minBackoff, maxBackoff, jitter, maxRetryAfter, attemptTimeout, DEFAULT_MAX_AGE, DEFAULT_CONCURRENCY);
    }

    /** Retry-After is capped at 5 minutes: one answer must not park a notice for an hour. */
    public static DeliveryOptions create() {
        return new DeliveryOptions(Duration.ofSeconds(1), Duration.ofMinutes(5), 0.5, Duration.ofMinutes(5),
                Duration.ofSeconds(10));
    }

    public DeliveryOptions withBackoff(Duration min, Duration max) {
        return new DeliveryOptions(min, max, jitter, maxRetryAfter, attemptTimeout, maxAge, concurrency);
    }

    public DeliveryOptions withMaxAge(Duration age) {
        return new DeliveryOptions(minBackoff, maxBackoff, jitter, maxRetryAfter, attemptTimeout, age, concurrency);
    }

    public DeliveryOptions withAttemptTimeout(Duration timeout) {
        return new DeliveryOptions(minBackoff, maxBackoff, jitter, maxRetryAfter, timeout, maxAge, concurrency);
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

    /** The wait before the next attempt: the peer's Retry-After when it sent one (capped), else backoff. */
    Duration delayAfter(DeliveryResult result, int attempts, double random) {
        if (result.retryAfter() != null) {
            return result.retryAfter().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : result.retryAfter();
        }
        return backoff(attempts, random);
    }
}
