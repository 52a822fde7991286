package io.github.atlasexport.simulator;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A token bucket per groupId, refilled continuously on the simulated clock. */
final class RateLimiter {
    private final int capacity;
    private final double tokensPerMilli;
    private final boolean retryAfter;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(Scenario.RateLimit limit, Clock clock) {
        this.capacity = limit.burst();
        this.tokensPerMilli = limit.requestsPerMinute() / 60_000.0;
        this.retryAfter = limit.retryAfter();
        this.clock = clock;
    }

    boolean enabled() {
        return tokensPerMilli > 0;
    }

    int capacity() {
        return capacity;
    }

    /** Tokens a minute, as the 429 body's refill parameter. */
    int refillPerMinute() {
        return (int) Math.round(tokensPerMilli * 60_000);
    }

    /** Whether a 429 sends {@code Retry-After} as well as naming the wait in its body. */
    boolean sendsRetryAfter() {
        return retryAfter;
    }

    /** Whole tokens left for {@code key} now: what {@code RateLimit-Remaining} says. */
    int remaining(String key) {
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity, clock.millis()));
        synchronized (bucket) {
            long now = clock.millis();
            bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.refilledAt) * tokensPerMilli);
            bucket.refilledAt = now;
            return (int) Math.max(0, Math.floor(bucket.tokens));
        }
    }

    /** Takes a token for {@code key}: 0 when one was available, else whole seconds until one will be. */
    long acquire(String key) {
        if (!enabled()) {
            return 0;
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity, clock.millis()));
        synchronized (bucket) {
            long now = clock.millis();
            bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.refilledAt) * tokensPerMilli);
            bucket.refilledAt = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / tokensPerMilli / 1000));
        }
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }
}
