package io.github.atlasexport.monitor;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Caps how many polls run at once. A poll over the cap waits here without having been subscribed: a
 * poll subscribed at once would wait inside the client instead, its operators ageing into the old
 * generation while it waits, and what later passes through them (the page, the jobs read from it)
 * would be held by them past the next young collection and promoted, to die there.
 *
 * <p>Shared fairly between projects: a slot that frees goes to the waiting project that holds the
 * fewest, the one waiting longest on a tie. A project whose polls sit in its request budget holds
 * slots while they wait, so it gets more only when no other project is waiting for one.
 */
final class PollSlots {
    private final int limit;
    private final Map<String, Deque<Waiter>> waiting = new HashMap<>(); // guarded by this
    private final Map<String, Integer> held = new HashMap<>(); // guarded by this
    private int inUse; // guarded by this
    private long arrivals; // guarded by this

    PollSlots(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        this.limit = limit;
    }

    /** Subscribes to {@code poll} once the project has a slot; the slot returns when the poll ends in any way. */
    <T> Mono<T> run(String project, Supplier<Mono<T>> poll) {
        return Mono.usingWhen(acquire(project), slot -> poll.get(),
                slot -> release(project), (slot, error) -> release(project), slot -> release(project));
    }

    private Mono<Boolean> acquire(String project) {
        return Mono.create(sink -> {
            Waiter waiter = new Waiter(project, sink);
            sink.onCancel(() -> {
                if (waiter.claimed.compareAndSet(false, true)) {
                    synchronized (this) {
                        Deque<Waiter> queue = waiting.get(project);
                        if (queue != null && queue.remove(waiter) && queue.isEmpty()) {
                            waiting.remove(project);
                        }
                    }
                } else {
                    // Handed a slot just as it was cancelled: nobody else will return it.
                    releaseNow(project);
                }
            });
            boolean granted;
            synchronized (this) {
                granted = inUse < limit && waiter.claimed.compareAndSet(false, true);
                if (granted) {
                    take(project);
                } else if (!waiter.claimed.get()) {
                    waiter.arrival = arrivals++;
                    waiting.computeIfAbsent(project, key -> new ArrayDeque<>()).addLast(waiter);
                }
            }
            if (granted) {
                sink.success(Boolean.TRUE);
            }
        });
    }

    private Mono<Void> release(String project) {
        return Mono.fromRunnable(() -> releaseNow(project));
    }

    private void releaseNow(String project) {
        Waiter next;
        synchronized (this) {
            give(project);
            next = next();
            if (next != null) {
                take(next.project);
            }
        }
        if (next != null) {
            next.sink.success(Boolean.TRUE);
        }
    }

    /** The next waiter to get a slot, claimed and out of its queue; null if none waits. Holds the lock. */
    private Waiter next() {
        while (!waiting.isEmpty()) {
            Waiter best = null;
            for (Deque<Waiter> queue : waiting.values()) {
                Waiter head = queue.peekFirst();
                if (best == null || fewerHeld(head, best)) {
                    best = head;
                }
            }
            Deque<Waiter> queue = waiting.get(best.project);
            queue.pollFirst();
            if (queue.isEmpty()) {
                waiting.remove(best.project);
            }
            if (best.claimed.compareAndSet(false, true)) {
                return best;
            }
        }
        return null;
    }

    private boolean fewerHeld(Waiter a, Waiter b) {
        int heldA = held.getOrDefault(a.project, 0);
        int heldB = held.getOrDefault(b.project, 0);
        return heldA != heldB ? heldA < heldB : a.arrival < b.arrival;
    }

    private void take(String project) {
        inUse++;
        held.merge(project, 1, Integer::sum);
    }

    private void give(String project) {
        inUse--;
        held.computeIfPresent(project, (key, count) -> count == 1 ? null : count - 1);
    }

    private static final class Waiter {
        final String project;
        final MonoSink<Boolean> sink;
        final AtomicBoolean claimed = new AtomicBoolean();
        long arrival; // guarded by the slots

        Waiter(String project, MonoSink<Boolean> sink) {
            this.project = project;
            this.sink = sink;
        }
    }
}
