package io.github.atlasexport.http;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A warning about something that can happen thousands of times a second: logged at most once per interval, with a count. */
final class ThrottledWarning {
    private final Logger log;
    private final String message;
    private final long intervalNanos;
    private final AtomicLong unreported = new AtomicLong();
    private final AtomicLong nextAt;

    ThrottledWarning(Logger log, String message, Duration interval) {
        this.log = log;
        this.message = message;
        this.intervalNanos = interval.toNanos();
        this.nextAt = new AtomicLong(System.nanoTime());
    }

    void occurred() {
        unreported.incrementAndGet();
        long now = System.nanoTime();
        long next = nextAt.get();
        if (now - next >= 0 && nextAt.compareAndSet(next, now + intervalNanos)) {
            log.warn("{} ({} time(s) since the last such warning)", message, unreported.getAndSet(0));
        }
    }
}
