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
    class ScriptedSink implements Sink {
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
        final List<String> dead = new CopyOnWriteArrayList<>();
        final List<String> restarts = new CopyOnWriteArrayList<>();

        @Override
        public void dead(String sink, String alertname) {
            dead.add(sink + " " + alertname);
        }

        @Override
        public void loopRestarted(String sink) {
            restarts.add(sink);
        }

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
        return start(restored, OPTIONS, sinks);
    }

    AlertDispatcher start(List<OutboxEntry> restored, DeliveryOptions options, Sink... sinks) {
        AlertDispatcher dispatcher = new AlertDispatcher(List.of(sinks), restored, options, listener, clock, () -> 0.5);
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
    void aFailedDeliveryIsAWarningNamingTheSinkAlertAndAttempt() {
        ch.qos.logback.classic.Logger sinkLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(SinkLoop.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
                new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        sinkLog.addAppender(captured);
        try {
            ScriptedSink sink = new ScriptedSink("hook").then(Mono.just(unavailable()));
            AlertNotice notice = notice("j1");
            start(List.of(), sink).enqueue(List.of(notice));
            advance(Duration.ofSeconds(10));

            List<String> warnings = captured.list.stream()
                    .filter(event -> event.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
            assertEquals(List.of("hook: delivery of AtlasExportJobFailed firing " + notice.id()
                    + " failed (attempt 1), retry in 1s: 503 Service Unavailable"), warnings);
        } finally {
            sinkLog.detachAppender(captured);
        }
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
    void goneIsDeadAtOnceCountedKeptAndResendable() {
        ScriptedSink sink = new ScriptedSink("hook").then(Mono.just(DeliveryResult.rejected(410, "410 Gone")));
        AlertDispatcher dispatcher = start(List.of(), sink);
        AlertNotice gone = notice("j1");
        dispatcher.enqueue(List.of(gone, notice("j2")));
        advance(Duration.ofMinutes(5));
        assertEquals(2, sink.attempts.size(), "410 is not retried");
        assertEquals(List.of("hook AtlasExportJobFailed"), listener.failed);
        assertEquals(List.of("hook AtlasExportJobFailed"), listener.dead);
        assertEquals(List.of("hook AtlasExportJobFailed"), listener.sent);
        assertEquals(0, listener.queue.get("hook"));
        DeadLetter letter = dispatcher.deadLetters().get(0);
        assertEquals(List.of(gone.id()), dispatcher.deadLetters().stream().map(DeadLetter::id).toList());
        assertEquals("410 Gone", letter.lastError());
        assertEquals(1, letter.attempts());

        assertEquals(List.of(letter), dispatcher.resend(gone.id()));
        advance(Duration.ZERO);
        assertEquals(List.of(), dispatcher.deadLetters());
        assertEquals(List.of("hook AtlasExportJobFailed", "hook AtlasExportJobFailed"), listener.sent);
        assertEquals(gone.id(), sink.attempts.get(2).id(), "re-sent under its own id");
        assertEquals(List.of(), dispatcher.resend("no-such-id"));
    }

    @Test
    void anyOtherAnswerIsRetriedUntilMaxAgeThenDeadLettered() {
        ScriptedSink sink = new ScriptedSink("hook");
        for (int i = 0; i < 100; i++) {
            sink.then(Mono.just(DeliveryResult.ofResponse(404, "Not Found", null, "", Instant.EPOCH)));
        }
        AlertDispatcher dispatcher = start(List.of(), OPTIONS.withMaxAge(Duration.ofMinutes(10)), sink);
        AlertNotice notice = notice("j1");
        dispatcher.enqueue(List.of(notice));
        advance(Duration.ofMinutes(9));
        assertTrue(sink.attempts.size() > 3, "retried: " + sink.attempts);
        assertEquals(List.of(), dispatcher.deadLetters());
        assertEquals(1, dispatcher.queueSize("hook"));
        advance(Duration.ofMinutes(3));
        assertEquals(List.of(notice.id()), dispatcher.deadLetters().stream().map(DeadLetter::id).toList());
        assertEquals(0, dispatcher.queueSize("hook"));
        assertEquals(List.of("hook AtlasExportJobFailed"), listener.dead);
        assertTrue(dispatcher.deadLetters().get(0).lastError().startsWith("404 Not Found"));
        long attempts = sink.attempts.size();
        advance(Duration.ofHours(1));
        assertEquals(attempts, sink.attempts.size(), "a dead letter is not retried");
    }

    @Test
    void anotherAlertDoesNotWaitForOneRetrying() {
        ScriptedSink sink = new ScriptedSink("hook").then(Mono.just(unavailable()));
        AlertDispatcher dispatcher = start(List.of(), sink);
        AlertNotice first = notice("j1");
        dispatcher.enqueue(List.of(first));
        AlertNotice second = notice("j2");
        dispatcher.enqueue(List.of(second));
        advance(Duration.ofSeconds(5));
        assertEquals(List.of(new Attempt(0, first.id()), new Attempt(0, second.id()), new Attempt(1_000, first.id())),
                sink.attempts);
    }

    @Test
    void aSlowAnswerForOneAlertDoesNotHoldUpTheNext() {
        ScriptedSink sink = new ScriptedSink("hook").then(Mono.never());
        AlertDispatcher dispatcher = start(List.of(), sink);
        AlertNotice slow = notice("j1");
        AlertNotice next = notice("j2");
        dispatcher.enqueue(List.of(slow, next));
        advance(Duration.ofSeconds(1));
        assertEquals(List.of("hook AtlasExportJobFailed"), listener.sent, "the next alert went while the first hung");
        assertEquals(List.of(slow.id(), next.id()), sink.attempts.stream().map(Attempt::id).toList());
        advance(OPTIONS.attemptTimeout().plus(Duration.ofSeconds(2)));
        assertEquals(0, dispatcher.queueSize("hook"));
        assertEquals(3, sink.attempts.size(), "the slow one was retried once, after its timeout");
    }

    @Test
    void aLongRetryAfterIsCappedAndParksOnlyItsAlert() {
        DeliveryOptions options = DeliveryOptions.create();
        assertEquals(Duration.ofMinutes(5), options.maxRetryAfter());
        ScriptedSink sink = new ScriptedSink("hook").then(Mono.just(DeliveryResult.ofResponse(429, "Too Many Requests",
                "3600", "", Instant.EPOCH)));
        AlertDispatcher dispatcher = start(List.of(), options, sink);
        AlertNotice limited = notice("j1");
        AlertNotice next = notice("j2");
        dispatcher.enqueue(List.of(limited, next));
        advance(Duration.ofSeconds(1));
        assertEquals(List.of("hook AtlasExportJobFailed"), listener.sent, "the next alert is not parked");
        assertEquals(Instant.EPOCH.plus(Duration.ofMinutes(5)), dispatcher.pending().get(0).nextAttemptAt());
        advance(Duration.ofMinutes(5));
        assertEquals(new Attempt(300_000, limited.id()), sink.attempts.get(2));
        assertEquals(0, dispatcher.queueSize("hook"));
    }

    @Test
    void aResolvedNoticeNeverOvertakesItsFiringOne() {
        ExportJob job = job("j1", "Queued");
        AlertState firing = AlertRules.evaluate(AlertState.empty(), ok(T0, List.of(stuck(job, Duration.ofHours(2), T0)),
                job), T0, ALERTS, STUCK).next();
        AlertNotice fired = AlertRules.evaluate(AlertState.empty(), ok(T0, List.of(stuck(job, Duration.ofHours(2), T0)),
                job), T0, ALERTS, STUCK).notices().get(0);
        ExportJob done = job("j1", "Successful");
        AlertNotice resolved = AlertRules.evaluate(firing, ok(T0.plusSeconds(60), List.of(), done),
                T0.plusSeconds(60), ALERTS, STUCK).notices().get(0);
        assertEquals(fired.key(), resolved.key());
        ScriptedSink sink = new ScriptedSink("hook").then(Mono.just(unavailable())).then(Mono.just(unavailable()));
        AlertDispatcher dispatcher = start(List.of(), sink);
        dispatcher.enqueue(List.of(fired, resolved));
        advance(Duration.ofSeconds(10));
        assertEquals(List.of(fired.id(), fired.id(), fired.id(), resolved.id()),
                sink.attempts.stream().map(Attempt::id).toList());
    }

    @Test
    void aStagedNoticeWaitsForItsCommit() {
        ScriptedSink sink = new ScriptedSink("hook");
        AlertDispatcher dispatcher = start(List.of(), sink);
        AlertNotice notice = notice("j1");
        dispatcher.stage(List.of(notice));
        advance(Duration.ofMinutes(1));
        assertEquals(List.of(), sink.attempts);
        assertEquals(List.of(notice.id()), dispatcher.pending().stream().map(OutboxEntry::id).toList(),
                "in the outbox, for the state file to take");
        dispatcher.committed(List.of(notice));
        advance(Duration.ZERO);
        assertEquals(List.of(new Attempt(60_000, notice.id())), sink.attempts);
    }

    @Test
    void aLoopWhoseSinkThrowsAJvmErrorIsRestartedLoggedAndCounted() {
        ScriptedSink sink = new ScriptedSink("hook") {
            boolean thrown;

            @Override
            public Mono<DeliveryResult> deliver(AlertNotice notice) {
                if (!thrown) {
                    thrown = true;
                    // What a provider failing to load gives: a LinkageError, which Reactor rethrows rather than signals.
                    return Mono.defer(() -> {
                        throw new NoClassDefFoundError("com/sun/crypto/provider/HmacCore");
                    });
                }
                return super.deliver(notice);
            }
        };
        AlertDispatcher dispatcher = start(List.of(), sink);
        dispatcher.enqueue(List.of(notice("j1")));
        advance(Duration.ofMinutes(2));
        assertEquals(List.of("hook"), listener.restarts);
        assertEquals(List.of("hook AtlasExportJobFailed"), listener.sent, "delivered once the loop was back");
        assertEquals(0, dispatcher.queueSize("hook"));
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
        DeliveryResult notFound = DeliveryResult.ofResponse(404, "Not Found", null, "no_service\n  here", now);
        assertEquals(DeliveryResult.Outcome.RETRY, notFound.outcome(), "a 404 may be fixed: retried until maxAge");
        assertEquals("404 Not Found: no_service here", notFound.detail());
        assertEquals(DeliveryResult.Outcome.RETRY, DeliveryResult.ofResponse(400, "Bad Request", null, "", now).outcome());
        assertEquals(DeliveryResult.Outcome.RETRY, DeliveryResult.ofResponse(301, "Moved Permanently", null, "", now).outcome());
        assertEquals(DeliveryResult.Outcome.REJECTED, DeliveryResult.ofResponse(410, "Gone", null, "", now).outcome());
    }
}
