package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.alert.AlertMemory;
import io.github.atlasexport.alert.AlertNotice;
import io.github.atlasexport.alert.AlertState;
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

/**
 * The alerting memory as rows of the state store: one document per cluster's rule state and one per
 * undelivered notice, so that a save writes only the clusters and notices that changed. A row that
 * cannot be read is set aside by the store (kept, with the reason) and the rest loads.
 */
final class AlertDocuments {
    static final String RULES = "alert-rules";
    static final String OUTBOX = "outbox";

    private AlertDocuments() {
    }

    static Map<String, Map<String, Object>> of(Map<ClusterKey, AlertState> rules, List<OutboxEntry> outbox) {
        Map<String, Object> byCluster = new HashMap<>(rules.size() * 2);
        rules.forEach((cluster, state) -> byCluster.put(cluster.toString(), state));
        Map<String, Object> notices = new HashMap<>(outbox.size() * 2);
        outbox.forEach(entry -> notices.put(entry.sink() + "/" + entry.id(), entry));
        return Map.of(RULES, byCluster, OUTBOX, notices);
    }

    /** The memory the store holds; an imported JSON state file's, converted, if that is what it holds. */
    static AlertMemory read(PersistedState loaded, StateStore store) {
        JsonNode legacy = StateStore.legacyAlerts(loaded);
        if (legacy != null) {
            return AlertMemory.fromJson(legacy);
        }
        List<AlertState> parts = new ArrayList<>();
        loaded.documents(RULES).forEach((key, document) -> {
            try {
                parts.add(AlertMemory.readState((JsonNode) document));
            } catch (IllegalArgumentException e) {
                store.setAside(RULES, key, e.getMessage());
            }
        });
        List<OutboxEntry> outbox = new ArrayList<>();
        loaded.documents(OUTBOX).forEach((key, document) -> {
            try {
                outbox.add(AlertMemory.readOutboxEntry((JsonNode) document));
            } catch (IllegalArgumentException e) {
                store.setAside(OUTBOX, key, e.getMessage());
            }
        });
        // The store keeps no order: a firing notice goes out before the resolved notice of the same alert.
        outbox.sort(Comparator.comparing(AlertDocuments::happenedAt).thenComparing(OutboxEntry::id));
        return new AlertMemory(AlertState.merge(parts), outbox);
    }

    private static Instant happenedAt(OutboxEntry entry) {
        AlertNotice notice = entry.notice();
        Instant at = notice.status() == AlertNotice.Status.RESOLVED ? notice.endsAt() : notice.startsAt();
        return at != null ? at : Instant.EPOCH;
    }
}
