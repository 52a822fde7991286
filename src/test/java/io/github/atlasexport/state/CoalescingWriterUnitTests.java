package io.github.atlasexport.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoalescingWriterUnitTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Scheduler scheduler = Schedulers.newSingle("coalescing-test");
    private final List<Integer> written = new CopyOnWriteArrayList<>();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private final CountDownLatch firstWriteStarted = new CountDownLatch(1);
    private final CountDownLatch releaseFirstWrite = new CountDownLatch(1);

    @AfterEach
    void stop() {
        releaseFirstWrite.countDown();
        scheduler.dispose();
    }

    /** Records each write; the first one holds until released, so later submissions pile up behind it. */
    private void record(Integer value) {
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        try {
            if (firstWriteStarted.getCount() > 0) {
                firstWriteStarted.countDown();
                assertTrue(releaseFirstWrite.await(5, TimeUnit.SECONDS));
            }
            if (value < 0) {
                throw new IllegalStateException("disk says no to " + value);
            }
            written.add(value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            concurrent.decrementAndGet();
        }
    }

    @Test
    void savesPilingUpBehindARunningWriteCollapseIntoTheLatest() throws InterruptedException {
        CoalescingWriter<Integer> writer = new CoalescingWriter<>(this::record, scheduler, 0);
        Mono<Void> first = writer.submit(1).cache();
        first.subscribe();
        assertTrue(firstWriteStarted.await(5, TimeUnit.SECONDS));

        List<Mono<Void>> later = IntStream.rangeClosed(2, 50).mapToObj(i -> writer.submit(i).cache()).toList();
        later.forEach(Mono::subscribe);
        releaseFirstWrite.countDown();

        Flux.merge(later).concatWith(first).then().block(WAIT);
        assertEquals(List.of(1, 50), written);
        assertEquals(1, maxConcurrent.get());
        writer.whenIdle().block(WAIT);
    }

    @Test
    void theWriterRestsInProportionToItsLastWriteAndCoalescesMeanwhile() {
        List<Long> starts = new CopyOnWriteArrayList<>();
        List<Long> ends = new CopyOnWriteArrayList<>();
        List<Integer> values = new CopyOnWriteArrayList<>();
        CoalescingWriter<Integer> writer = new CoalescingWriter<>(value -> {
            starts.add(System.nanoTime());
            values.add(value);
            sleep(Duration.ofMillis(100));
            ends.add(System.nanoTime());
        }, scheduler, 3);

        writer.submit(1).block(WAIT);
        Flux.range(2, 20).delayElements(Duration.ofMillis(5)).flatMap(writer::submit, 20).then().block(WAIT);

        // Measured from inside the write: the test thread may wake up late after submit(1) completes.
        assertTrue(starts.get(1) - ends.get(0) >= Duration.ofMillis(300).toNanos(),
                "the second write waits three times the first one's 100 ms");
        assertEquals(1, values.get(0));
        assertEquals(21, values.get(values.size() - 1), "the last value always lands");
        assertTrue(values.size() <= 4, "values coalesce during the rests: " + values);
    }

    @Test
    void closingCutsARestShortAndStillWritesWhatIsPending() {
        CoalescingWriter<Integer> writer = new CoalescingWriter<>(value -> {
            written.add(value);
            sleep(Duration.ofMillis(200));
        }, scheduler, 100);
        writer.submit(1).block(WAIT);
        writer.submit(2).subscribe();

        long closing = System.nanoTime();
        writer.close();
        writer.whenIdle().block(WAIT);

        assertEquals(List.of(1, 2), written);
        assertTrue(System.nanoTime() - closing < Duration.ofSeconds(10).toNanos(), "not the 20 s rest");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void nothingIsWrittenUntilSubscribed() {
        CoalescingWriter<Integer> writer = new CoalescingWriter<>(this::record, scheduler, 0);
        releaseFirstWrite.countDown();

        Mono<Void> unsubscribed = writer.submit(7);
        writer.whenIdle().block(WAIT);

        assertEquals(List.of(), written);
        unsubscribed.block(WAIT);
        assertEquals(List.of(7), written);
    }

    @Test
    void aFailedWriteFailsItsSubmittersAndTheNextSubmissionRecovers() {
        CoalescingWriter<Integer> writer = new CoalescingWriter<>(this::record, scheduler, 0);
        releaseFirstWrite.countDown();

        writer.submit(-1)
                .as(StepVerifier::create)
                .expectErrorMessage("disk says no to -1")
                .verify(WAIT);
        assertThrows(IllegalStateException.class, () -> writer.whenIdle().block(WAIT));

        writer.submit(2)
                .as(StepVerifier::create)
                .verifyComplete();
        writer.whenIdle().block(WAIT);
        assertEquals(List.of(2), written);
    }

    @Test
    void aClosedWriterRefusesNewValues() {
        CoalescingWriter<Integer> writer = new CoalescingWriter<>(this::record, scheduler, 0);
        writer.close();

        writer.submit(1)
                .as(StepVerifier::create)
                .expectError(IllegalStateException.class)
                .verify(WAIT);
        assertEquals(List.of(), written);
    }
}
