package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.remediation.RetryIntent;
import io.github.atlasexport.state.PersistedState;
import io.github.atlasexport.state.StateStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The remediation intents as documents of the state store, one per original job (kind {@link RetryIntent#KIND}). */
final class RemediationDocuments {

    private RemediationDocuments() {
    }

    /** The intents the store holds; one that cannot be read is set aside (kept, with the reason). */
    static List<RetryIntent> read(PersistedState loaded, StateStore store) {
        List<RetryIntent> intents = new ArrayList<>();
        loaded.documents(RetryIntent.KIND).forEach((key, document) -> {
            try {
                intents.add(RetryIntent.read((JsonNode) document));
            } catch (IllegalArgumentException e) {
                store.setAside(RetryIntent.KIND, key, e.getMessage());
            }
        });
        return intents;
    }

    /** {@code documents} (the alerting documents) with the intents added. */
    static Map<String, Map<String, Object>> with(Map<String, Map<String, Object>> documents, Map<String, RetryIntent> intents) {
        Map<String, Map<String, Object>> all = new HashMap<>(documents);
        all.put(RetryIntent.KIND, new HashMap<>(intents));
        return all;
    }
}
