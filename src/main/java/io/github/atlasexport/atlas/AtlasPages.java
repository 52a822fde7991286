package io.github.atlasexport.atlas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Atlas JSON bodies straight from the bytes received, in one pass of a streaming parser: no
 * tree of the whole body is built first (a page of 500 export jobs is about 300 KB).
 */
final class AtlasPages {
    private static final String RESULTS = "results";

    private AtlasPages() {
    }

    /** Reads one item of a body. The parser is on the item's first token and is left on its last. */
    @FunctionalInterface
    interface ItemReader<T> {
        T read(JsonParser parser) throws IOException;
    }

    /**
     * The items of a list body's {@code results} array, in order; null when the body (JSON or empty)
     * has no such array.
     *
     * @throws IOException              the body is not JSON
     * @throws IllegalArgumentException an item is not what {@code item} reads (e.g. it lacks its id)
     */
    static <T> List<T> results(byte[] body, ItemReader<T> item) throws IOException {
        try (JsonParser parser = AtlasJson.MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return null;
            }
            List<T> items = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() == JsonToken.START_ARRAY && RESULTS.equals(name)) {
                    items = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        items.add(item.read(parser));
                    }
                } else {
                    parser.skipChildren();
                }
            }
            return items;
        }
    }

    /** A body that is one item. */
    static <T> T one(byte[] body, ItemReader<T> item) throws IOException {
        try (JsonParser parser = AtlasJson.MAPPER.createParser(body)) {
            parser.nextToken();
            return item.read(parser);
        }
    }

    /** An item bound by databind from its own small tree, once it is known to have a textual {@code requiredField}. */
    static <T> ItemReader<T> bound(Class<T> type, String requiredField) {
        return parser -> {
            JsonNode node = AtlasJson.MAPPER.readTree(parser);
            if (node == null || !node.isObject() || !node.path(requiredField).isTextual()) {
                throw new IllegalArgumentException(type.getSimpleName() + " without " + requiredField);
            }
            return AtlasJson.MAPPER.treeToValue(node, type);
        };
    }
}
