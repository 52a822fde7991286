package io.github.atlasexport.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The undelivered notices of one sink, oldest first, and those it gave up on (its dead letters).
 * Notices of different alerts go independently; those of one alert ({@link AlertNotice#key()}) go
 * in order, so a resolved notice never overtakes its firing one. A notice may be held (queued but
 * not yet attempted) until the state store holds it. Thread-safe; a monitor lock is enough.
 */
public final class Outbox {
    private final String sink;
    private final Map<String, OutboxEntry> entries = new LinkedHashMap<>();
    private final Set<String> held = new HashSet<>();
    private final Map<String, DeadLetter> dead = new LinkedHashMap<>();

    /** @param restored entries read back from the state store, in their saved order */
    public Outbox(String sink, List<OutboxEntry> restored, List<DeadLetter> restoredDead) {
        this.sink = requireNonNull(sink, "sink must not be null");
        restored.forEach(entry -> entries.putIfAbsent(entry.id(), entry));
        restoredDead.forEach(letter -> dead.putIfAbsent(letter.id(), letter));
    }

    public String sink() {
        return sink;
    }

    /** Queues a notice, due now; held ones wait for {@link #release}. A notice already queued is not queued twice. */
    synchronized boolean add(AlertNotice notice, Instant now, boolean hold) {
        if (entries.putIfAbsent(notice.id(), new OutboxEntry(sink, notice, 0, now, null, now)) != null) {
            return false;
        }
        if (hold) {
            held.add(notice.id());
        }
        return true;
    }

    /** The notices may go now: the state store holds them. */
    synchronized boolean release(Collection<String> ids) {
        return held.removeAll(ids);
    }

    /**
     * Up to {@code max} entries to attempt now: due, not held, not in flight, and each the oldest of its
     * alert; and the earliest time another of those becomes due.
     */
    synchronized Due due(Instant now, Set<String> inFlight, int max) {
        List<OutboxEntry> due = new ArrayList<>();
        Set<String> alertsAhead = new HashSet<>();
        Instant next = null;
        for (OutboxEntry entry : entries.values()) {
            if (!alertsAhead.add(entry.notice().key()) || held.contains(entry.id()) || inFlight.contains(entry.id())) {
                continue;
            }
            if (entry.nextAttemptAt().isAfter(now)) {
                next = next == null || entry.nextAttemptAt().isBefore(next) ? entry.nextAttemptAt() : next;
            } else if (due.size() < max) {
                due.add(entry);
            }
        }
        return new Due(due, next);
    }

    /** @param next null when no entry waits for a time */
    record Due(List<OutboxEntry> now, Instant next) {
    }

    /** Delivered. */
    synchronized void remove(String id) {
        entries.remove(id);
    }

    synchronized void retryAt(String id, Instant at, String error) {
        entries.computeIfPresent(id, (key, entry) -> entry.failedAttempt(at, error));
    }

    /** Gives up on the entry: it moves to the dead letters. */
    synchronized Optional<DeadLetter> kill(String id, Instant now, String error) {
        OutboxEntry entry = entries.remove(id);
        if (entry == null) {
            return Optional.empty();
        }
        DeadLetter letter = new DeadLetter(sink, entry.notice(), entry.attempts() + 1, entry.queuedAt(), now, error);
        dead.put(id, letter);
        return Optional.of(letter);
    }

    /** Moves dead letters back into the queue, due now: the one with {@code id}, or all when it is null. */
    synchronized List<DeadLetter> resend(String id, Instant now) {
        List<DeadLetter> resent = new ArrayList<>();
        for (DeadLetter letter : List.copyOf(dead.values())) {
            if (id == null || id.equals(letter.id())) {
                dead.remove(letter.id());
                entries.putIfAbsent(letter.id(), new OutboxEntry(sink, letter.notice(), 0, now, null, now));
                resent.add(letter);
            }
        }
        return resent;
    }

    /** What to persist: every undelivered entry, in order. */
    public synchronized List<OutboxEntry> snapshot() {
        return List.copyOf(entries.values());
    }

    /** The dead letters, oldest first. */
    public synchronized List<DeadLetter> deadLetters() {
        return List.copyOf(dead.values());
    }

    public synchronized int size() {
        return entries.size();
    }
}
