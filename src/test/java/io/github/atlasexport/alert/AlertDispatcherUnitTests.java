package io.github.atlasexport.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.atlasexport.atlas.ExportJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.github.atlasexport.alert.AlertFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher's timing and bookkeeping, on virtual time with scripted sinks (answers chosen per
 * attempt). Real HTTP receivers are exercised in the integration tests.
 */
class AlertDispatcherUnitTests {
    static final DeliveryOptions OPTIONS = new DeliveryOptions(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.5,
            Duration.ofMinutes(10), Duration.ofSeconds(30));

    final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    final RecordingListener listener = new RecordingListener();
    Disposable running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.dispose();
        }
        clock.dispose();
    }

    record Attempt(long atMillis, String id) {
    }

    /** Answers from its script, then 2xx; records when each attempt happened and for which notice. */
    final class ScriptedSink implements Sink {
        final String name;
        final Queue<Mono<DeliveryResult>> script = new ArrayDeque<>();
        final List<Attempt> attempts = new CopyOnWriteArrayList<>();
        final AtomicInteger keepAlives = new AtomicInteger();
        Duration keepAliveEvery;

        ScriptedSink(String name) {
            this.name = name;
        }

        ScriptedSink then(Mono<DeliveryResult> answer) {
            script.add(answer);
            return this;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Mono<DeliveryResult> deliver(AlertNotice notice) {
            attempts.add(new Attempt(clock.now(TimeUnit.MILLISECONDS), notice.id()));
            Mono<DeliveryResult> answer = script.poll();
            return answer != null ? answer : Mono.just(DeliveryResult.delivered(200));
        }

        @Override
        public Optional<Duration> keepAliveInterval() {
            return Optional.ofNullable(keepAliveEvery);
        }

        @Override
        public Mono<DeliveryResult> keepAlive() {
            keepAlives.incrementAndGet();
            return Mono.just(DeliveryResult.delivered(200));
        }
    }

    static final class RecordingListener implements DeliveryListener {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<String> failed = new CopyOnWriteArrayList<>();
        final Map<String, Integer> queue = new ConcurrentHashMap<>();
        final Map<String, List<OutboxEntry>> persisted = new ConcurrentHashMap<>();

        @Override
        public void sent(String sink, String alertname) {
            sent.add(sink + " " + alertname);
        }

        @Override
        public void failed(String sink, String alertname) {
            failed.add(sink + " " + alertname);
        }

        @Override
        public void queueSize(String sink, int size) {
            queue.put(sink, size);
        }

        @Override
        public void outboxChanged(String sink, List<OutboxEntry> entries) {
            persisted.put(sink, entries);
        }
    }

    AlertDispatcher start(List<OutboxEntry> restored, Sink... sinks) {
        AlertDispatcher dispatcher = new AlertDispatcher(List.of(sinks), restored, OPTIONS, listener, clock, () -> 0.5);
        running = dispatcher.start();
        return dispatcher;
    }

    static DeliveryResult unavailable() {
        return DeliveryResult.retry(503, "503 Service Unavailable", null);
    }

    static AlertNotice notice(String jobId) {
        ExportJob job = failedJob(jobId);
        return AlertRules.evaluate(AlertState.empty(), ok(T0, List.of(changed(job, "InProgress", T0)), job), T0,
                ALERTS, STUCK).notices().get(0);
    }

    void advance(Duration duration) {
        clock.advanceTimeBy(duration);
    }

    @Test
    void transientFailuresAreRetriedWithExponentialBackoffAndTheSameId() {
        ScriptedSink sink = new ScriptedSink("hook").then(Mono.just(unavailable())).then(Mono.just(unavailable()))
                .then(Mono.just(unavailable()));
        AlertDispatcher dispatcher = start(List.of(), sink);
        AlertNotice notice = notice("j1");
        dispatcher.enqueue(List.of(notice));
        advance(Duration.ofSeconds(10));

        // jitter source fixed at 0.5 means no jitter: 1 s, 2 s, 4 s
        assertEquals(List.of(new Attempt(0, notice.id()), new Attempt(1_000, notice.id()),
                new Attempt(3_000, notice.id()), new Attempt(7_000, notice.id())), sink.attempts);
        assertEquals(List.of("hook AtlasExportJobFailed"), listener.sent);
        assertEquals(3, listener.failed.size(), "every failed attempt counts: " + listener.failed);
        assertEquals(0, dispatcher.queueSize("hook"));
        assertEquals(List.of(), listener.persisted.get("hook"));
    }

    @Test
    void retryAfterIsHonoured() {
        ScriptedSink sink = new ScriptedSink("hook")
                .then(Mono.just(DeliveryResult.retry(429, "429 Too Many Requests", Duration.ofSeconds(7))));
        AlertDispatcher dispatcher = start(List.of(), sink);
        dispatcher.enqueue(List.of(notice("j1")));
        advance(Duration.ofSeconds(6));
        assertEquals(1, sink.attempts.size());
        OutboxEntry waiting = listener.persisted.get("hook").get(0);
        assertEquals(1, waiting.attempts());
        assertEquals(Instant.ofEpochSecond(7), waiting.nextAttemptAt());
        assertEquals("429 Too Many Requests", waiting.lastError());
        advance(Duration.ofSeconds(1));
        assertEquals(7_000, sink.attempts.get(1).atMillis());
        assertEquals(0, dispatcher.queueSize("hook"));
    }

    @Test
    void aRejectionIsCountedAndNotRetried() {
        ScriptedSink sink = new ScriptedSink("hook").then(Mono.just(DeliveryResult.rejected(400, "400 Bad Request")));
        AlertDispatcher dispatcher = start(List.of(), sink);
        dispatcher.enqueue(List.of(notice("j1"), notice("j2")));
        advance(Duration.ofMinutes(5));
        assertEquals(2, sink.attempts.size());
        assertEquals(List.of("hook AtlasExportJobFailed"), listener.failed);
        assertEquals(List.of("hook AtlasExportJobFailed"), listener.sent);
        assertEquals(0, listener.queue.get("hook"));
    }

    @Test
    void noticesLeaveInOrderEvenWhileTheFirstWaitsForItsRetry() {
        ScriptedSink sink = new ScriptedSink("hook").then(Mono.just(unavailable()));
        AlertDispatcher dispatcher = start(List.of(), sink);
        AlertNotice first = notice("j1");
        dispatcher.enqueue(List.of(first));
        AlertNotice second = notice("j2");
        dispatcher.enqueue(List.of(second));
        advance(Duration.ofSeconds(5));
        assertEquals(List.of(first.id(), first.id(), second.id()), sink.attempts.stream().map(Attempt::id).toList());
        assertEquals(1_000, sink.attempts.get(2).atMillis());
    }

    @Test
    void aSinkThatNeverAnswersDelaysOnlyItself() {
        ScriptedSink dead = new ScriptedSink("dead").then(Mono.never()).then(Mono.never());
        ScriptedSink alive = new ScriptedSink("alive");
        AlertDispatcher dispatcher = start(List.of(), dead, alive);
        dispatcher.enqueue(List.of(notice("j1")));
        dispatcher.enqueue(List.of(notice("j2")));
        advance(Duration.ZERO);
        assertEquals(List.of("alive AtlasExportJobFailed", "alive AtlasExportJobFailed"), listener.sent);
        assertEquals(2, dispatcher.queueSize("dead"));

        advance(OPTIONS.attemptTimeout()); // the backstop timeout turns silence into a retry
        assertEquals(1, listener.persisted.get("dead").get(0).attempts());
        assertEquals("no answer within 30s", listener.persisted.get("dead").get(0).lastError());
        advance(Duration.ofMinutes(2));
        assertEquals(0, dispatcher.queueSize("dead"));
    }

    @Test
    void restoredEntriesAreDeliveredAndThoseOfRemovedSinksDropped() throws Exception {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
        OutboxEntry kept = new OutboxEntry("hook", notice("j1"), 4, Instant.EPOCH, "503 Service Unavailable");
        OutboxEntry orphan = new OutboxEntry("gone", notice("j2"), 0, Instant.EPOCH, null);
        // as the state file would hand them back
        List<OutboxEntry> restored = List.of(json.readValue(json.writeValueAsString(new OutboxEntry[]{kept, orphan}),
                OutboxEntry[].class));
        assertEquals(List.of(kept, orphan), restored);

        ScriptedSink sink = new ScriptedSink("hook");
        AlertDispatcher dispatcher = start(restored, sink);
        assertEquals(List.of("hook"), dispatcher.sinkNames());
        advance(Duration.ZERO);
        assertEquals(List.of(new Attempt(0, kept.id())), sink.attempts);
        assertEquals(List.of(), dispatcher.pending());
    }

    @Test
    void theSameNoticeIsQueuedOnce() {
        ScriptedSink sink = new ScriptedSink("hook").then(Mono.just(unavailable()));
        AlertDispatcher dispatcher = start(List.of(), sink);
        AlertNotice notice = notice("j1");
        dispatcher.enqueue(List.of(notice));
        dispatcher.enqueue(List.of(notice));
        assertEquals(1, dispatcher.queueSize("hook"));
    }

    @Test
    void keepAliveRunsOnItsIntervalInTheSinksLoop() {
        ScriptedSink sink = new ScriptedSink("am");
        sink.keepAliveEvery = Duration.ofMinutes(1);
        start(List.of(), sink);
        advance(Duration.ofSeconds(1));
        assertEquals(1, sink.keepAlives.get(), "at start, to refresh alerts restored from the state");
        advance(Duration.ofMinutes(3));
        assertEquals(4, sink.keepAlives.get());
    }

    @Test
    void backoffGrowsToItsCapWithBoundedJitter() {
        assertEquals(Duration.ofSeconds(1), OPTIONS.backoff(1, 0.5));
        assertEquals(Duration.ofSeconds(8), OPTIONS.backoff(4, 0.5));
        assertEquals(Duration.ofSeconds(60), OPTIONS.backoff(40, 0.5));
        assertEquals(Duration.ofSeconds(4), OPTIONS.backoff(4, 0.0));
        assertEquals(Duration.ofMillis(11_998), OPTIONS.backoff(4, 0.99975));
        assertEquals(Duration.ofMinutes(10), OPTIONS.delayAfter(
                DeliveryResult.retry(429, "", Duration.ofDays(1)), 1, 0.5), "Retry-After is capped");
    }

    @Test
    void retryAfterHeaderForms() {
        Instant now = Instant.parse("2015-10-21T07:28:00Z");
        assertEquals(Duration.ofSeconds(120), DeliveryResult.parseRetryAfter(" 120 ", now));
        assertEquals(Duration.ofSeconds(30), DeliveryResult.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now));
        assertEquals(null, DeliveryResult.parseRetryAfter("soon", now));
        assertEquals(DeliveryResult.Outcome.RETRY, DeliveryResult.ofResponse(408, "Request Timeout", null, "", now).outcome());
        assertEquals(DeliveryResult.Outcome.RETRY, DeliveryResult.ofResponse(502, "Bad Gateway", null, "", now).outcome());
        assertEquals(DeliveryResult.Outcome.DELIVERED, DeliveryResult.ofResponse(202, "Accepted", null, "", now).outcome());
        DeliveryResult rejected = DeliveryResult.ofResponse(404, "Not Found", null, "no_service\n  here", now);
        assertEquals(DeliveryResult.Outcome.REJECTED, rejected.outcome());
        assertEquals("404 Not Found: no_service here", rejected.detail());
    }
}
