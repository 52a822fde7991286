package io.github.atlasexport.monitor;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
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
    /** Waiting projects, the next to get a slot first: fewest held, then longest waiting (then by name, to be total). */
    private static final Comparator<Queue> NEXT_FIRST = Comparator.comparingInt((Queue queue) -> queue.heldKey)
            .thenComparingLong(queue -> queue.arrivalKey)
            .thenComparing(queue -> queue.project);

    private final int limit;
    private final Map<String, Queue> waiting = new HashMap<>(); // guarded by this
    // Ordered, so that a release costs log(projects waiting), not a scan of them (10,000 at a start).
    private final TreeSet<Queue> order = new TreeSet<>(NEXT_FIRST); // guarded by this
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
                        leave(waiter);
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
                    join(waiter);
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
        while (!order.isEmpty()) {
            Queue queue = order.pollFirst();
            Waiter head = queue.waiters.pollFirst();
            reorder(queue);
            if (head.claimed.compareAndSet(false, true)) {
                return head;
            }
        }
        return null;
    }

    private void join(Waiter waiter) {
        Queue queue = waiting.get(waiter.project);
        if (queue == null) {
            queue = new Queue(waiter.project);
            waiting.put(waiter.project, queue);
        } else {
            order.remove(queue);
        }
        queue.waiters.addLast(waiter);
        reorder(queue);
    }

    private void leave(Waiter waiter) {
        Queue queue = waiting.get(waiter.project);
        if (queue != null) {
            order.remove(queue);
            queue.waiters.remove(waiter);
            reorder(queue);
        }
    }

    /** Files a queue taken out of {@link #order} again under its current key, or forgets it if empty. Holds the lock. */
    private void reorder(Queue queue) {
        if (queue.waiters.isEmpty()) {
            waiting.remove(queue.project);
            return;
        }
        queue.heldKey = held.getOrDefault(queue.project, 0);
        queue.arrivalKey = queue.waiters.peekFirst().arrival;
        order.add(queue);
    }

    private void take(String project) {
        inUse++;
        changeHeld(project, 1);
    }

    private void give(String project) {
        inUse--;
        changeHeld(project, -1);
    }

    private void changeHeld(String project, int by) {
        Queue queue = waiting.get(project);
        if (queue != null) {
            order.remove(queue); // its key changes
        }
        held.compute(project, (key, count) -> {
            int next = (count == null ? 0 : count) + by;
            return next == 0 ? null : next;
        });
        if (queue != null) {
            reorder(queue);
        }
    }

    /** One project's waiting polls, oldest first, with the key it is filed under in {@link #order}. */
    private static final class Queue {
        final String project;
        final Deque<Waiter> waiters = new ArrayDeque<>();
        int heldKey;
        long arrivalKey;

        Queue(String project) {
            this.project = project;
        }
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
