package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.alert.AlertMemory;
import io.github.atlasexport.alert.AlertNotice;
import io.github.atlasexport.alert.AlertState;
import io.github.atlasexport.alert.DeadLetter;
import io.github.atlasexport.alert.OutboxEntry;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.state.PersistedState;
import io.github.atlasexport.state.StateStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The alerting memory as rows of the state store: one document per cluster's rule state, one per
 * undelivered notice and one per dead letter, so that a save writes only the clusters and notices that changed. A row that
 * cannot be read is set aside by the store (kept, with the reason) and the rest loads.
 */
final class AlertDocuments {
    static final String RULES = "alert-rules";
    static final String OUTBOX = "outbox";
    static final String DEAD = "dead-letters";

    private AlertDocuments() {
    }

    static Map<String, Map<String, Object>> of(Map<ClusterKey, AlertState> rules, List<OutboxEntry> outbox,
                                               List<DeadLetter> dead) {
        Map<String, Object> byCluster = new HashMap<>(rules.size() * 2);
        rules.forEach((cluster, state) -> byCluster.put(cluster.toString(), state));
        Map<String, Object> notices = new HashMap<>(outbox.size() * 2);
        outbox.forEach(entry -> notices.put(entry.sink() + "/" + entry.id(), entry));
        Map<String, Object> letters = new HashMap<>(dead.size() * 2);
        dead.forEach(letter -> letters.put(letter.sink() + "/" + letter.id(), letter));
        return Map.of(RULES, byCluster, OUTBOX, notices, DEAD, letters);
    }

    /** The memory the store holds; an imported JSON state store's, converted, if that is what it holds. */
    static AlertMemory read(PersistedState loaded, StateStore store) {
        JsonNode legacy = StateStore.legacyAlerts(loaded);
        if (legacy != null) {
            return AlertMemory.fromJson(legacy);
        }
        List<AlertState> parts = readAll(loaded, store, RULES, AlertMemory::readState);
        List<OutboxEntry> outbox = readAll(loaded, store, OUTBOX, AlertMemory::readOutboxEntry);
        // The store keeps no order: a firing notice goes out before the resolved notice of the same alert.
        outbox.sort(Comparator.comparing((OutboxEntry entry) -> happenedAt(entry.notice())).thenComparing(OutboxEntry::id));
        List<DeadLetter> dead = readAll(loaded, store, DEAD, AlertMemory::readDeadLetter);
        dead.sort(Comparator.comparing(DeadLetter::deadAt).thenComparing(DeadLetter::id));
        return new AlertMemory(AlertState.merge(parts), outbox, dead);
    }

    /** Every document of {@code kind} that {@code reader} can read; the others are set aside in the store. */
    private static <T> List<T> readAll(PersistedState loaded, StateStore store, String kind, Function<JsonNode, T> reader) {
        List<T> values = new ArrayList<>();
        loaded.documents(kind).forEach((key, document) -> {
            try {
                values.add(reader.apply((JsonNode) document));
            } catch (IllegalArgumentException e) {
                store.setAside(kind, key, e.getMessage());
            }
        });
        return values;
    }

    private static Instant happenedAt(AlertNotice notice) {
        Instant at = notice.status() == AlertNotice.Status.RESOLVED ? notice.endsAt() : notice.startsAt();
        return at != null ? at : Instant.EPOCH;
    }
}
