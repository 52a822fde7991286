package io.github.atlasexport.atlas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads Atlas JSON bodies straight from the bytes received, in one pass of a streaming parser: no
 * tree of the whole body is built first (a page of 500 export jobs is about 300 KB).
 */
final class AtlasPages {
    private static final String RESULTS = "results";
    private static final String TOTAL_COUNT = "totalCount";

    private AtlasPages() {
    }

    /** Reads one item of a body. The parser is on the item's first token and is left on its last. */
    @FunctionalInterface
    interface ItemReader<T> {
        T read(JsonParser parser) throws IOException;
    }

    /**
     * One list body: its {@code results} and, when Atlas sent it, its {@code totalCount} (an estimate,
     * says Atlas; null when absent).
     */
    record ListBody<T>(List<T> results, Long totalCount) {
    }

    /**
     * A list body's {@code results} array, items in order, and its {@code totalCount}; null when the
     * body (JSON or empty) has no such array.
     *
     * @throws IOException              the body is not JSON
     * @throws IllegalArgumentException an item is not what {@code item} reads (e.g. it lacks its id)
     */
    static <T> ListBody<T> list(byte[] body, ItemReader<T> item) throws IOException {
        try (JsonParser parser = AtlasJson.MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return null;
            }
            List<T> items = null;
            Long totalCount = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_ARRAY && RESULTS.equals(name)) {
                    items = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        items.add(item.read(parser));
                    }
                } else if (value == JsonToken.VALUE_NUMBER_INT && TOTAL_COUNT.equals(name)) {
                    totalCount = parser.getLongValue();
                } else {
                    parser.skipChildren();
                }
            }
            return items == null ? null : new ListBody<>(items, totalCount);
        }
    }

    /**
     * The items of one walk through a list's pages, each id once, and whether the pages agree with
     * each other. Offset paging shifts under a list that changes between two page requests: a job
     * added ahead of the next page pushes an item seen already onto it, one removed pulls an unseen
     * item back onto the page already read, where it is missed. Either shows as an id that comes
     * again, a {@code totalCount} that changes from page to page, or fewer items than counted.
     *
     * @param items      in list order; a repeated id keeps its first position and its last body
     * @param consistent no sign of a shift between the pages
     */
    record Walk<T>(List<T> items, boolean consistent) {
        static <T> Walk<T> of(List<ListBody<T>> pages, Function<T, String> idOf) {
            Map<String, T> byId = new LinkedHashMap<>();
            boolean consistent = true;
            Long firstCount = pages.isEmpty() ? null : pages.get(0).totalCount();
            for (ListBody<T> page : pages) {
                for (T item : page.results()) {
                    consistent &= byId.put(idOf.apply(item), item) == null;
                }
                consistent &= firstCount == null || page.totalCount() == null || firstCount.equals(page.totalCount());
            }
            if (pages.size() > 1 && firstCount != null) {
                consistent &= byId.size() >= firstCount;
            }
            return new Walk<>(List.copyOf(byId.values()), consistent);
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
