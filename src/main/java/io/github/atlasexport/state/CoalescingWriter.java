package io.github.atlasexport.state;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs blocking writes of the latest value on a scheduler, one at a time. Values submitted while a
 * write runs replace each other, so a burst of saves costs at most two writes and the last value
 * always lands. Each submitter is told when a write of its value, or of a later one, finished.
 *
 * <p>After each write the writer rests {@code restFactor} times as long as the write took before it
 * starts the next one (values keep coalescing meanwhile), so it uses at most {@code 1/(restFactor + 1)}
 * of a core however often values come. A small write rests for microseconds; closing cuts a rest short.
 */
final class CoalescingWriter<T> {

    private static final Logger log = LoggerFactory.getLogger(CoalescingWriter.class);

    private record Waiter(long sequence, Sinks.One<Void> done) {
    }

    private final Consumer<T> write;
    private final Scheduler scheduler;
    private final int restFactor;
    private final Object lock = new Object();

    // All guarded by lock.
    private T pending;
    private long submitted;
    private long settled;
    private RuntimeException lastFailure;
    private boolean draining; // a drain is running or scheduled
    private boolean closed;
    private long notBeforeNanos; // System.nanoTime() before which no write starts: the rest after the last one
    private Rest rest; // the drain scheduled to start after a rest, or null
    private final List<Waiter> waiters = new ArrayList<>();

    CoalescingWriter(Consumer<T> write, Scheduler scheduler, int restFactor) {
        if (restFactor < 0) {
            throw new IllegalArgumentException("restFactor must be >= 0, was " + restFactor);
        }
        this.write = write;
        this.scheduler = scheduler;
        this.restFactor = restFactor;
        this.notBeforeNanos = System.nanoTime(); // not 0: nanoTime may be negative, which would read as a rest
    }

    /** Lazily queues {@code value}; completes when it (or a later value) is written, errors if that write failed. */
    Mono<Void> submit(T value) {
        return Mono.defer(() -> {
            synchronized (lock) {
                if (closed) {
                    return Mono.error(new IllegalStateException("the state writer is closed"));
                }
                pending = value;
                submitted++;
                if (!draining) {
                    draining = true;
                    startDrain();
                }
                return await(submitted);
            }
        });
    }

    /** Completes once everything submitted so far is settled; errors if the last write failed. */
    Mono<Void> whenIdle() {
        synchronized (lock) {
            if (settled == submitted) {
                return lastFailure == null ? Mono.empty() : Mono.error(lastFailure);
            }
            return await(submitted);
        }
    }

    /** Refuses further submissions; what is already submitted is still written, without resting first. */
    void close() {
        synchronized (lock) {
            closed = true;
            if (rest != null && rest.claimed.compareAndSet(false, true)) {
                rest = null;
                scheduler.schedule(this::drain);
            }
        }
    }

    /** Under {@link #lock}: runs {@link #drain} now, or once the rest after the last write is over. */
    private void startDrain() {
        long wait = closed ? 0 : notBeforeNanos - System.nanoTime();
        if (wait <= 0) {
            scheduler.schedule(this::drain);
        } else {
            rest = new Rest();
            scheduler.schedule(rest, wait, TimeUnit.NANOSECONDS);
        }
    }

    private Mono<Void> await(long sequence) {
        Sinks.One<Void> done = Sinks.one();
        waiters.add(new Waiter(sequence, done));
        return done.asMono();
    }

    private void drain() {
        while (true) {
            T value;
            long sequence;
            synchronized (lock) {
                rest = null;
                if (pending == null) {
                    draining = false;
                    return;
                }
                value = pending;
                pending = null;
                sequence = submitted;
            }
            RuntimeException failure = null;
            long started = System.nanoTime();
            try {
                write.accept(value);
            } catch (Throwable e) {
                // Anything but a fatal JVM error settles the waiters: a write that blew up must not
                // leave the writer marked busy forever. Logged here because a caller may well ignore
                // the Mono's error; the next submission tries again.
                Exceptions.throwIfJvmFatal(e);
                log.warn("{}", e.getMessage());
                failure = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
            }
            long ended = System.nanoTime();
            for (Waiter waiter : settle(sequence, failure)) {
                if (failure == null) {
                    waiter.done().tryEmitEmpty();
                } else {
                    waiter.done().tryEmitError(failure);
                }
            }
            synchronized (lock) {
                notBeforeNanos = ended + (ended - started) * restFactor;
                if (pending != null && !closed && notBeforeNanos - System.nanoTime() > 0) {
                    startDrain(); // this drain ends here; draining stays set for the one after the rest
                    return;
                }
            }
        }
    }

    /** A drain after a rest; {@link #close} may claim it to start the drain at once instead. */
    private final class Rest implements Runnable {
        final AtomicBoolean claimed = new AtomicBoolean();

        @Override
        public void run() {
            if (claimed.compareAndSet(false, true)) {
                drain();
            }
        }
    }

    private List<Waiter> settle(long sequence, RuntimeException failure) {
        List<Waiter> done = new ArrayList<>();
        synchronized (lock) {
            settled = sequence;
            lastFailure = failure;
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter waiter = it.next();
                if (waiter.sequence() <= sequence) {
                    done.add(waiter);
                    it.remove();
                }
            }
        }
        return done;
    }
}
