package io.github.atlasexport.alert;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The undelivered notices of one sink, oldest first. First in, first out: a resolved notice must
 * not overtake the firing one of the same alert, so a notice waiting for its retry holds back the
 * ones behind it. Thread-safe; small and rarely touched, so a monitor lock is enough.
 */
public final class Outbox {
    private final String sink;
    private final Map<String, OutboxEntry> entries = new LinkedHashMap<>();

    /** @param restored entries read back from the state file, in their saved order */
    public Outbox(String sink, List<OutboxEntry> restored) {
        this.sink = requireNonNull(sink, "sink must not be null");
        restored.forEach(entry -> entries.putIfAbsent(entry.id(), entry));
    }

    public String sink() {
        return sink;
    }

    /** Queues a notice, due now. A notice already queued (same id) is not queued twice. */
    public synchronized boolean add(AlertNotice notice, Instant now) {
        return entries.putIfAbsent(notice.id(), new OutboxEntry(sink, notice, 0, now, null)) == null;
    }

    public synchronized Optional<OutboxEntry> head() {
        return entries.values().stream().findFirst();
    }

    /** Delivered, or rejected for good. */
    public synchronized void remove(String id) {
        entries.remove(id);
    }

    public synchronized void retryAt(String id, Instant at, String error) {
        entries.computeIfPresent(id, (key, entry) -> entry.failedAttempt(at, error));
    }

    /** What to persist: every undelivered entry, in order. */
    public synchronized List<OutboxEntry> snapshot() {
        return List.copyOf(entries.values());
    }

    public synchronized int size() {
        return entries.size();
    }
}
