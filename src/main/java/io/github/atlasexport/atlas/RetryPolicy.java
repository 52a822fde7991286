package io.github.atlasexport.atlas;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * How failed Atlas calls are retried: at most {@code maxRetries} more tries, waiting what the server
 * asked for (Retry-After, retryAfterSecs) when it said, else an exponential backoff from
 * {@code minBackoff} doubling up to {@code maxBackoff}, spread by {@code jitter} (0..1) so that many
 * pollers do not retry in step. A server that asks for more than {@code maxRetryAfter} is not waited
 * for: the call fails at once and its {@link AtlasApiException#retryAfter()} tells the caller.
 */
public record RetryPolicy(int maxRetries, Duration minBackoff, Duration maxBackoff, double jitter,
                          Duration maxRetryAfter) {

    public RetryPolicy {
        requireNonNull(minBackoff, "minBackoff must not be null");
        requireNonNull(maxBackoff, "maxBackoff must not be null");
        requireNonNull(maxRetryAfter, "maxRetryAfter must not be null");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
        }
        if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= minBackoff <= maxBackoff, was " + minBackoff + ", " + maxBackoff);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be within 0..1, was " + jitter);
        }
    }

    /** 4 retries, 1 s doubling to 30 s with 50% jitter; waits up to 5 min when Atlas asks. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(30), 0.5, Duration.ofMinutes(5));
    }

    /** Never retry: for one-shot commands that report the first failure. */
    public static RetryPolicy none() {
        return new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO);
    }

    /** The {@link Retry} for one request; {@code retryable} decides which failures are worth another try. */
    public Retry toRetry(Predicate<AtlasApiException> retryable) {
        requireNonNull(retryable, "retryable must not be null");
        return new ServerAwareRetry(retryable);
    }

    /** Retries for a request that may safely be sent twice (GET): every transient fault. */
    Retry forIdempotent() {
        return toRetry(AtlasApiException::transientFault);
    }

    /**
     * Retries for a request that must not be applied twice (POST create): only answers that say the
     * server did not act on it. A timeout or a 500 may hide a job that was created after all.
     */
    Retry forNonIdempotent() {
        return toRetry(e -> e.status() == 429 || e.status() == 503);
    }

    /** The wait before retry number {@code retry} (0-based) when the server named none. */
    Duration backoff(long retry) {
        long min = minBackoff.toMillis();
        long max = maxBackoff.toMillis();
        long base = min;
        for (long i = 0; i < retry && base < max; i++) {
            base *= 2; // ends within a few dozen steps: base reaches max or retry runs out
        }
        base = Math.min(base, max);
        long spread = (long) (base * jitter);
        long low = Math.max(min, base - spread);
        long high = Math.min(max, base + spread);
        long chosen = high > low ? ThreadLocalRandom.current().nextLong(low, high + 1) : low;
        return Duration.ofMillis(chosen);
    }

    private final class ServerAwareRetry extends Retry {
        private final Predicate<AtlasApiException> retryable;

        ServerAwareRetry(Predicate<AtlasApiException> retryable) {
            this.retryable = retryable;
        }

        @Override
        public Publisher<?> generateCompanion(Flux<RetrySignal> signals) {
            return signals.concatMap(signal -> {
                Throwable failure = signal.failure();
                if (!(failure instanceof AtlasApiException e) || !retryable.test(e)
                        || signal.totalRetries() >= maxRetries) {
                    return Mono.error(failure);
                }
                Duration wait = e.retryAfter() != null ? e.retryAfter() : RetryPolicy.this.backoff(signal.totalRetries());
                if (e.retryAfter() != null && wait.compareTo(maxRetryAfter) > 0) {
                    return Mono.error(failure);
                }
                return Mono.delay(wait);
            });
        }
    }
}
