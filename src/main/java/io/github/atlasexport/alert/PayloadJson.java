package io.github.atlasexport.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** JSON helpers shared by the payload renderers: trees are built by hand so every field is deliberate. */
final class PayloadJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private PayloadJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Labels and annotations sorted by name, so a notice always renders to the same bytes. */
    static ObjectNode sorted(Map<String, String> values) {
        ObjectNode node = object();
        new TreeMap<>(values).forEach(node::put);
        return node;
    }

    /** RFC 3339 in UTC, or JSON null. */
    static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
