package io.github.atlasexport.atlas;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Caps how many calls run at once without blocking a thread: a caller over the limit waits in a
 * FIFO queue and is resumed by the call that finishes; an urgent caller goes to the head of the queue.
 * Cancelling a waiting caller leaves the queue.
 */
final class InFlightLimiter {
    private final int limit;
    private final Deque<Waiter> waiting = new ArrayDeque<>(); // guarded by this
    private int inFlight; // guarded by this

    InFlightLimiter(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        this.limit = limit;
    }

    /** Subscribes to {@code call} once a permit is free; the permit returns when it ends in any way. */
    <T> Mono<T> run(Supplier<Mono<T>> call) {
        return run(call, false);
    }

    /** As {@link #run(Supplier)}, ahead of every caller already waiting. */
    <T> Mono<T> runFirst(Supplier<Mono<T>> call) {
        return run(call, true);
    }

    private <T> Mono<T> run(Supplier<Mono<T>> call, boolean first) {
        return Mono.usingWhen(acquire(first), permit -> call.get(),
                permit -> release(), (permit, error) -> release(), permit -> release());
    }

    synchronized int inFlight() {
        return inFlight;
    }

    private Mono<Boolean> acquire(boolean first) {
        return Mono.create(sink -> {
            Waiter waiter = new Waiter(sink);
            sink.onCancel(() -> {
                if (waiter.claimed.compareAndSet(false, true)) {
                    synchronized (this) {
                        waiting.remove(waiter);
                    }
                } else {
                    // We were granted a permit just as we were cancelled: nobody else will return it.
                    releaseNow();
                }
            });
            boolean granted;
            synchronized (this) {
                granted = inFlight < limit && waiter.claimed.compareAndSet(false, true);
                if (granted) {
                    inFlight++;
                } else if (!waiter.claimed.get() && first) {
                    waiting.addFirst(waiter);
                } else if (!waiter.claimed.get()) {
                    waiting.addLast(waiter);
                }
            }
            if (granted) {
                sink.success(Boolean.TRUE);
            }
        });
    }

    private Mono<Void> release() {
        return Mono.fromRunnable(this::releaseNow);
    }

    private void releaseNow() {
        Waiter next;
        synchronized (this) {
            do {
                next = waiting.poll();
            } while (next != null && !next.claimed.compareAndSet(false, true));
            if (next == null) {
                inFlight--;
                return;
            }
        }
        next.sink.success(Boolean.TRUE); // the permit moves on; inFlight stays the same
    }

    private static final class Waiter {
        final MonoSink<Boolean> sink;
        final AtomicBoolean claimed = new AtomicBoolean();

        Waiter(MonoSink<Boolean> sink) {
            this.sink = sink;
        }
    }
}
