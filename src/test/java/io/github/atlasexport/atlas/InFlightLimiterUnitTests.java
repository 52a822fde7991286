package io.github.atlasexport.atlas;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InFlightLimiterUnitTests {
    private final InFlightLimiter limiter = new InFlightLimiter(2);
    private final List<Sinks.One<String>> started = new ArrayList<>();
    private final List<String> results = new ArrayList<>();

    /** A call that starts (is subscribed) only when the limiter lets it, and ends when the test says. */
    private Disposable submit() {
        return limiter.run(() -> {
            Sinks.One<String> sink = Sinks.one();
            started.add(sink);
            return sink.asMono();
        }).subscribe(results::add, error -> results.add("error"));
    }

    @Test
    void runsAtMostTheLimitAndResumesWaitersInOrder() {
        for (int i = 0; i < 5; i++) {
            submit();
        }
        assertEquals(2, started.size());

        started.get(0).tryEmitValue("a");
        assertEquals(3, started.size());
        started.get(1).tryEmitError(new IllegalStateException("failed calls return their permit too"));
        started.get(2).tryEmitEmpty();
        assertEquals(5, started.size());
        assertEquals(2, limiter.inFlight());

        started.get(3).tryEmitValue("d");
        started.get(4).tryEmitValue("e");
        assertEquals(List.of("a", "error", "d", "e"), results);
        assertEquals(0, limiter.inFlight());
    }

    @Test
    void anUrgentCallerGoesAheadOfThoseWaiting() {
        List<String> order = new ArrayList<>();
        List<Sinks.One<String>> running = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d")) {
            limiter.run(() -> {
                order.add(name);
                Sinks.One<String> sink = Sinks.one();
                running.add(sink);
                return sink.asMono();
            }).subscribe();
        }
        limiter.runFirst(() -> {
            order.add("urgent");
            return Mono.just("done");
        }).subscribe(results::add);

        running.get(0).tryEmitValue("a");
        // The urgent call took the first permit freed, ended at once and handed it on to the next in line.
        assertEquals(List.of("a", "b", "urgent", "c"), order);
        assertEquals(List.of("done"), results);
        running.get(1).tryEmitValue("b");
        assertEquals(List.of("a", "b", "urgent", "c", "d"), order);
    }

    @Test
    void cancellingAWaiterLeavesTheQueueAndCancellingARunningCallFreesItsPermit() {
        Disposable first = submit();
        submit();
        Disposable waiting = submit();
        submit();
        waiting.dispose();

        first.dispose(); // cancels a running call
        assertEquals(3, started.size(), "the cancelled waiter was skipped, the fourth call started");
        assertEquals(2, limiter.inFlight());
    }

    @Test
    void thePermitIsTakenOnlyOnSubscription() {
        AtomicInteger calls = new AtomicInteger();
        Mono<Integer> lazy = limiter.run(() -> Mono.fromCallable(calls::incrementAndGet));
        assertEquals(0, limiter.inFlight());
        assertEquals(1, lazy.block());
        assertEquals(2, lazy.block());
        assertEquals(0, limiter.inFlight());
    }
}
