package io.github.atlasexport.atlas;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TokenBucketUnitTests {

    /** Virtual-time ms at which each of {@code calls} callers (asking at once, at t=0) may go. */
    private static Flux<Long> grants(TokenBucket bucket, int calls) {
        return Flux.range(0, calls)
                .flatMapSequential(i -> bucket.acquire().then(reactor.core.publisher.Mono.fromCallable(
                        () -> Schedulers.parallel().now(TimeUnit.MILLISECONDS))));
    }

    @Test
    void aFullBucketLetsItsCapacityThroughAtOnceThenPacesTheRest() {
        StepVerifier.withVirtualTime(() -> grants(new TokenBucket(3, Duration.ofMinutes(1), Schedulers.parallel()), 6))
                .expectNext(0L, 0L, 0L)
                .expectNoEvent(Duration.ofMillis(19_999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(20_000L)
                .thenAwait(Duration.ofSeconds(40))
                .expectNext(40_000L, 60_000L)
                .verifyComplete();
    }

    @Test
    void refillIsContinuousAndCappedAtCapacity() {
        StepVerifier.withVirtualTime(() -> {
                    TokenBucket bucket = new TokenBucket(60, Duration.ofMinutes(1), Schedulers.parallel());
                    return grants(bucket, 60) // drain it
                            .thenMany(reactor.core.publisher.Mono.delay(Duration.ofMillis(2500)).thenMany(grants(bucket, 3)))
                            .concatWith(reactor.core.publisher.Mono.delay(Duration.ofHours(1)).thenMany(grants(bucket, 61)).takeLast(2));
                })
                .thenAwait(Duration.ofHours(2))
                .expectNext(2500L, 2500L, 3000L) // 2.5 tokens came back: two go now, the third waits half a second
                .expectNext(3_603_000L, 3_604_000L) // an hour idle refills 60, not 3600: the 61st waits a second
                .verifyComplete();
    }

    @Test
    void reservationsNeverBlockAndKeepOrder() {
        StepVerifier.withVirtualTime(() -> {
                    TokenBucket bucket = new TokenBucket(1, Duration.ofSeconds(1), Schedulers.parallel());
                    return Flux.range(0, 4).concatMap(i -> reactor.core.publisher.Mono.just(bucket.reserve().toMillis()));
                })
                .expectNext(0L, 1000L, 2000L, 3000L)
                .verifyComplete();
    }

    @Test
    void rejectsAnEmptyBudget() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, Duration.ofMinutes(1), Schedulers.parallel()));
        assertEquals(Duration.ZERO, new TokenBucket(1, Duration.ofMinutes(1), Schedulers.immediate()).reserve());
    }
}
