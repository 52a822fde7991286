package io.github.atlasexport.atlas;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A client-side request budget: {@code capacity} tokens, refilled continuously at
 * {@code capacity / period}. A caller that finds the bucket empty is not refused and no thread
 * waits: it reserves the next token ahead of time and is delayed until then, so callers are served
 * in the order they asked and the long-run rate never exceeds the budget. A pause the server asked
 * for (Retry-After) is kept here too, so that it holds for every later call of the project, and so is
 * what Atlas says is left of its own budget ({@code RateLimit-Remaining}): the bucket never promises more.
 */
final class TokenBucket {
    private final Scheduler clock;
    private final double capacity;
    private final double ceilingPerNano;
    private double tokensPerNano;
    private double tokens; // may go negative: tokens already promised to waiting callers
    private long refilledAt;
    private long heldUntil;

    TokenBucket(int capacity, Duration period, Scheduler clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.clock = requireNonNull(clock, "clock must not be null");
        this.capacity = capacity;
        this.ceilingPerNano = capacity / (double) period.toNanos();
        this.tokensPerNano = ceilingPerNano;
        this.tokens = capacity;
        this.refilledAt = clock.now(TimeUnit.NANOSECONDS);
        this.heldUntil = refilledAt;
    }

    /** The server asked for a pause (Retry-After): nothing is to be sent for {@code wait}, or longer if asked before. */
    synchronized void holdFor(Duration wait) {
        heldUntil = Math.max(heldUntil, clock.now(TimeUnit.NANOSECONDS) + wait.toNanos());
    }

    /** How much of the server's pause is left; zero when none. */
    synchronized Duration heldFor() {
        long left = heldUntil - clock.now(TimeUnit.NANOSECONDS);
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /**
     * Atlas answered with {@code RateLimit-Limit} (taken as a minute's budget; null when absent) and
     * {@code RateLimit-Remaining}: from now on no more than {@code remaining} less the {@code unseen} requests
     * it may not have counted yet are let through at once, and the refill is no faster than the limit.
     * Our own budget stays the ceiling.
     */
    synchronized void atlasBudget(Integer limit, int remaining, int unseen) {
        refill(clock.now(TimeUnit.NANOSECONDS));
        if (limit != null && limit > 0) {
            tokensPerNano = Math.min(ceilingPerNano, limit / (double) Duration.ofMinutes(1).toNanos());
        }
        tokens = Math.min(tokens, remaining - unseen);
    }

    /** Completes when the caller may send one request. */
    Mono<Void> acquire() {
        return Mono.defer(() -> {
            Duration wait = reserve();
            return wait.isZero() ? Mono.empty() : Mono.delay(wait, clock).then();
        });
    }

    /** Takes one token and says how long until it is really there. */
    synchronized Duration reserve() {
        refill(clock.now(TimeUnit.NANOSECONDS));
        tokens -= 1;
        return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / tokensPerNano));
    }

    private void refill(long now) {
        tokens = Math.min(capacity, tokens + (now - refilledAt) * tokensPerNano);
        refilledAt = now;
    }
}
