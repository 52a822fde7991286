package io.github.atlasexport.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * The simulator's notion of now: a base clock plus an offset that only moves forward. Job
 * lifecycles, nonce and token expiry and the rate limiter all read it, so advancing it (from a
 * test or {@code POST /__sim/clock/advance}) moves the whole simulated world at once.
 */
public final class SimClock extends Clock {
    private final Clock base;
    private final AtomicLong offsetNanos;

    private SimClock(Clock base, AtomicLong offsetNanos) {
        this.base = base;
        this.offsetNanos = offsetNanos;
    }

    /** Real time, plus whatever was advanced. The default for {@code demo} and {@code simulate}. */
    public static SimClock system() {
        return new SimClock(Clock.systemUTC(), new AtomicLong());
    }

    /** Stands still at {@code start} and moves only when advanced: deterministic tests. */
    public static SimClock startingAt(Instant start) {
        requireNonNull(start, "start must not be null");
        return new SimClock(Clock.fixed(start, ZoneOffset.UTC), new AtomicLong());
    }

    /** Moves the simulated time forward; returns the new now. */
    public Instant advance(Duration by) {
        requireNonNull(by, "by must not be null");
        if (by.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward, got " + by);
        }
        offsetNanos.addAndGet(by.toNanos());
        return instant();
    }

    /** How far the simulated time is ahead of the base clock. */
    public Duration offset() {
        return Duration.ofNanos(offsetNanos.get());
    }

    @Override
    public Instant instant() {
        return base.instant().plusNanos(offsetNanos.get());
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    /** Shares the offset with this clock, so advancing either moves both. */
    @Override
    public Clock withZone(ZoneId zone) {
        return new SimClock(base.withZone(zone), offsetNanos);
    }
}
