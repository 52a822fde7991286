package io.github.atlasexport.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.atlasexport.atlas.InstantText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * What alerting must remember across restarts: active alerts, job alerts already fired, the
 * notices not yet delivered and the dead letters. The rule state and the outbox are saved together,
 * in one write, so that a crash between two writes can neither lose a notice nor send one twice.
 * A file written before dead letters existed has no {@code dead}: read as none.
 */
public record AlertMemory(AlertState state, List<OutboxEntry> outbox, List<DeadLetter> dead) {
    private static final Logger log = LoggerFactory.getLogger(AlertMemory.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(InstantText.jacksonModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    public AlertMemory {
        state = state == null ? AlertState.empty() : state;
        outbox = outbox == null ? List.of() : List.copyOf(outbox);
        dead = dead == null ? List.of() : List.copyOf(dead);
    }

    public static AlertMemory empty() {
        return new AlertMemory(AlertState.empty(), List.of(), List.of());
    }

    public JsonNode toJson() {
        return JSON.valueToTree(this);
    }

    /** One cluster's rule state as the state store keeps it. */
    public static JsonNode write(AlertState part) {
        return JSON.valueToTree(part);
    }

    /**
     * One cluster's rule state, as {@link AlertState#byCluster} cuts it, read back from the store.
     *
     * @throws IllegalArgumentException if it cannot be read; the message says why
     */
    public static AlertState readState(JsonNode document) {
        return read(document, AlertState.class);
    }

    /**
     * One undelivered notice read back from the store.
     *
     * @throws IllegalArgumentException if it cannot be read; the message says why
     */
    public static OutboxEntry readOutboxEntry(JsonNode document) {
        return read(document, OutboxEntry.class);
    }

    /**
     * One dead letter read back from the store.
     *
     * @throws IllegalArgumentException if it cannot be read; the message says why
     */
    public static DeadLetter readDeadLetter(JsonNode document) {
        return read(document, DeadLetter.class);
    }

    private static <T> T read(JsonNode document, Class<T> type) {
        try {
            T value = JSON.treeToValue(document, type);
            if (value == null) {
                throw new IllegalArgumentException("empty document");
            }
            return value;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                    ? json.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException(message, e);
        }
    }

    /** An absent document is a first start; an unreadable one is reported and alerting starts afresh. */
    public static AlertMemory fromJson(JsonNode document) {
        if (document == null || document.isNull() || document.isMissingNode()) {
            return empty();
        }
        try {
            return JSON.treeToValue(document, AlertMemory.class);
        } catch (Exception e) {
            log.warn("the alerting part of the imported JSON state file is unusable ({}); starting with no active alerts",
                    e.getMessage());
            return empty();
        }
    }
}
