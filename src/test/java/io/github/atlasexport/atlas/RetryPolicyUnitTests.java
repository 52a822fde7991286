package io.github.atlasexport.atlas;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyUnitTests {
    private static final RetryPolicy STEADY = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1), 0, Duration.ofMinutes(1));

    /** Subscribe times (virtual ms) of a call that fails with {@code failure(n)} on try n, or succeeds when it gives null. */
    private final List<Long> tries = new CopyOnWriteArrayList<>();

    private Mono<String> call(IntFunction<AtlasApiException> failure) {
        return Mono.defer(() -> {
            tries.add(Schedulers.parallel().now(TimeUnit.MILLISECONDS));
            AtlasApiException e = failure.apply(tries.size());
            return e == null ? Mono.just("ok") : Mono.error(e);
        });
    }

    private static AtlasApiException status(int status, Duration retryAfter) {
        return new AtlasApiException(status, null, null, "GET", "/groups", retryAfter, null);
    }

    @Test
    void retryAfterIsHonouredExactlyEvenAboveMaxBackoff() {
        StepVerifier.withVirtualTime(() -> call(n -> n == 1 ? status(429, Duration.ofSeconds(7)) : null)
                        .retryWhen(STEADY.forIdempotent()))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(6999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("ok")
                .verifyComplete();
        assertEquals(List.of(0L, 7000L), tries);
    }

    @Test
    void backoffDoublesUpToTheMaximumWithoutJitter() {
        StepVerifier.withVirtualTime(() -> call(n -> n <= 5 ? status(503, null) : null).retryWhen(STEADY.forIdempotent()))
                .thenAwait(Duration.ofMinutes(1))
                .expectNext("ok")
                .verifyComplete();
        assertEquals(List.of(100L, 200L, 400L, 800L, 1000L), gaps());
    }

    @Test
    void jitterStaysWithinItsBounds() {
        RetryPolicy jittery = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofSeconds(1), 0.5, Duration.ofMinutes(1));
        for (int round = 0; round < 20; round++) {
            tries.clear();
            StepVerifier.withVirtualTime(() -> call(n -> n <= 6 ? status(500, null) : null).retryWhen(jittery.forIdempotent()))
                    .thenAwait(Duration.ofMinutes(1))
                    .expectNext("ok")
                    .verifyComplete();
            List<Long> gaps = gaps();
            long base = 100;
            for (long gap : gaps) {
                long low = Math.max(100, base / 2);
                long high = Math.min(1000, base + base / 2);
                assertTrue(gap >= low && gap <= high, "gap " + gap + " outside [" + low + ", " + high + "] in " + gaps);
                base = Math.min(1000, base * 2);
            }
        }
    }

    @Test
    void clientErrorsAreNotRetried() {
        for (int status : new int[] {400, 401, 403, 404, 409}) {
            tries.clear();
            AtlasApiException failure = status(status, null);
            StepVerifier.withVirtualTime(() -> call(n -> failure).retryWhen(STEADY.forIdempotent()))
                    .expectErrorSatisfies(e -> assertSame(failure, e))
                    .verify();
            assertEquals(1, tries.size(), "HTTP " + status + " was retried");
        }
    }

    @Test
    void requestTimeoutAndNoResponseAreRetried() {
        for (int status : new int[] {408, 0, 502}) {
            tries.clear();
            StepVerifier.withVirtualTime(() -> call(n -> n == 1 ? status(status, null) : null).retryWhen(STEADY.forIdempotent()))
                    .thenAwait(Duration.ofMillis(100))
                    .expectNext("ok")
                    .verifyComplete();
            assertEquals(2, tries.size());
        }
    }

    @Test
    void attemptsAreBoundedAndTheLastFailureSurfaces() {
        RetryPolicy two = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10), 0, Duration.ofMinutes(1));
        StepVerifier.withVirtualTime(() -> call(n -> status(503, null)).retryWhen(two.forIdempotent()))
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(e -> assertEquals(503, ((AtlasApiException) e).status()))
                .verify();
        assertEquals(3, tries.size());
    }

    @Test
    void aServerWaitLongerThanWeAcceptFailsAtOnceAndSaysHowLong() {
        StepVerifier.withVirtualTime(() -> call(n -> status(429, Duration.ofMinutes(5))).retryWhen(STEADY.forIdempotent()))
                .expectErrorSatisfies(e -> assertEquals(Duration.ofMinutes(5), ((AtlasApiException) e).retryAfter()))
                .verify();
        assertEquals(1, tries.size());
    }

    @Test
    void nonIdempotentCallsRetryOnlyWhatTheServerRefused() {
        StepVerifier.withVirtualTime(() -> call(n -> status(500, null)).retryWhen(STEADY.forNonIdempotent()))
                .expectError(AtlasApiException.class)
                .verify();
        assertEquals(1, tries.size());

        tries.clear();
        StepVerifier.withVirtualTime(() -> call(n -> n == 1 ? status(429, Duration.ofSeconds(2)) : n == 2 ? status(503, null) : null)
                        .retryWhen(STEADY.forNonIdempotent()))
                .thenAwait(Duration.ofSeconds(3))
                .expectNext("ok")
                .verifyComplete();
        assertEquals(List.of(0L, 2000L, 2200L), tries);
    }

    @Test
    void otherErrorsAreNotRetried() {
        StepVerifier.withVirtualTime(() -> Mono.defer(() -> {
                    tries.add(0L);
                    return Mono.<String>error(new IllegalStateException("bug"));
                }).retryWhen(STEADY.forIdempotent()))
                .expectError(IllegalStateException.class)
                .verify();
        assertEquals(1, tries.size());
    }

    @Test
    void rejectsNonsense() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(-1, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1), 0, Duration.ZERO));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.5, Duration.ZERO));
    }

    private List<Long> gaps() {
        return java.util.stream.IntStream.range(1, tries.size()).mapToObj(i -> tries.get(i) - tries.get(i - 1)).toList();
    }
}
