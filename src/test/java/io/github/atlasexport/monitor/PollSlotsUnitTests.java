package io.github.atlasexport.monitor;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PollSlotsUnitTests {
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<Sinks.One<String>> running = new ArrayList<>();
    private final List<Disposable> subscriptions = new ArrayList<>();

    /** A poll named {@code name} of {@code project}: it is subscribed when it starts, and ends when {@link #end} says. */
    private void submit(PollSlots slots, String project, String name) {
        subscriptions.add(slots.run(project, () -> {
            started.add(name);
            Sinks.One<String> end = Sinks.one();
            running.add(end);
            return end.asMono();
        }).subscribe());
    }

    private void end(int index) {
        running.get(index).tryEmitValue("done");
    }

    @Test
    void aPollOverTheLimitIsNotSubscribedUntilASlotFrees() {
        PollSlots slots = new PollSlots(2);
        submit(slots, "A", "a1");
        submit(slots, "A", "a2");
        submit(slots, "A", "a3");
        assertEquals(List.of("a1", "a2"), started);
        end(0);
        assertEquals(List.of("a1", "a2", "a3"), started);
    }

    @Test
    void aFreedSlotGoesToTheWaitingProjectHoldingFewest() {
        PollSlots slots = new PollSlots(2);
        submit(slots, "A", "a1");
        submit(slots, "A", "a2");
        submit(slots, "A", "a3"); // waits first, but A holds both slots
        submit(slots, "B", "b1");
        end(0);
        assertEquals(List.of("a1", "a2", "b1"), started, "B holds none: its poll goes ahead of A's third");
        end(2);
        assertEquals(List.of("a1", "a2", "b1", "a3"), started);
    }

    @Test
    void onATieTheLongestWaitingGoesFirst() {
        PollSlots slots = new PollSlots(1);
        submit(slots, "A", "a1");
        submit(slots, "B", "b1");
        submit(slots, "C", "c1");
        end(0);
        assertEquals(List.of("a1", "b1"), started);
        end(1);
        assertEquals(List.of("a1", "b1", "c1"), started);
    }

    @Test
    void aFailedOrCancelledPollGivesItsSlotBack() {
        PollSlots slots = new PollSlots(1);
        subscriptions.add(slots.run("A", () -> Mono.error(new IllegalStateException("boom"))).subscribe(v -> { }, e -> { }));
        submit(slots, "A", "a1");
        submit(slots, "B", "b1");
        assertEquals(List.of("a1"), started, "the failed poll's slot went on");
        subscriptions.get(2).dispose(); // b1 leaves the queue before its turn
        submit(slots, "C", "c1");
        subscriptions.get(1).dispose(); // a1 is cancelled while running
        assertEquals(List.of("a1", "c1"), started);
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PollSlots(0));
    }
}
