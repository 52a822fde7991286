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

    /** An absent document is a first start; an unreadable one is reported and alerting starts afresh. */
    public static AlertMemory fromJson(JsonNode document) {
        if (document == null || document.isNull() || document.isMissingNode()) {
            return empty();
        }
        try {
            return JSON.treeToValue(document, AlertMemory.class);
        } catch (Exception e) {
            log.warn("the alerting part of the state file is unusable ({}); starting with no active alerts",
                    e.getMessage());
            return empty();
        }
    }
}
