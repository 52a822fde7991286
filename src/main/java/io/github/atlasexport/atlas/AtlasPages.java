package io.github.atlasexport.atlas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
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
     * One list body: its {@code results}, when Atlas sent it its {@code totalCount} (an estimate, says
     * Atlas; null when absent), and the items that could not be read, which are left out of the results.
     */
    record ListBody<T>(List<T> results, Long totalCount, List<Unreadable> unreadable) {
        ListBody(List<T> results, Long totalCount) {
            this(results, totalCount, List.of());
        }

        /** Items on the page, read or not: what tells a full page from the last one. */
        int size() {
            return results.size() + unreadable.size();
        }
    }

    /**
     * An item of a list left out: {@code index} is its place on the page, {@code field} the first value that
     * could not be read ({@code id} when it has no textual id), a path such as {@code exportStatus.totalCollections}.
     */
    record Unreadable(int index, String field) {
    }

    /** An item without the field that identifies it. */
    static final class MissingField extends IllegalArgumentException {
        private final String field;

        MissingField(String type, String field) {
            super(type + " without " + field, null);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    /**
     * A list body's {@code results} array, items in order, and its {@code totalCount}; null when the
     * body (JSON or empty) has no such array.
     *
     * An item that {@code item} refuses (it lacks its id, a field has an unexpected type) is skipped and
     * listed in {@link ListBody#unreadable()}: one bad item does not cost the others.
     *
     * @throws IOException the body is not JSON
     */
    static <T> ListBody<T> list(byte[] body, ItemReader<T> item) throws IOException {
        try (JsonParser parser = AtlasJson.MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return null;
            }
            List<T> items = null;
            List<Unreadable> unreadable = new ArrayList<>();
            Long totalCount = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_ARRAY && RESULTS.equals(name)) {
                    items = new ArrayList<>();
                    JsonStreamContext array = parser.getParsingContext();
                    for (int index = 0; parser.nextToken() != JsonToken.END_ARRAY; index++) {
                        try {
                            items.add(item.read(parser));
                        } catch (JsonMappingException | InputCoercionException | MissingField refused) {
                            unreadable.add(new Unreadable(index, refused instanceof MissingField missing
                                    ? missing.field() : field(parser.getParsingContext(), array)));
                            skipRestOfItem(parser, array);
                        }
                    }
                } else if (value == JsonToken.VALUE_NUMBER_INT && TOTAL_COUNT.equals(name)) {
                    totalCount = parser.getLongValue();
                } else {
                    parser.skipChildren();
                }
            }
            return items == null ? null : new ListBody<>(items, totalCount, List.copyOf(unreadable));
        }
    }

    /** The path from the item to where the parser stopped: {@code createdAt}, {@code components[1]}. */
    private static String field(JsonStreamContext at, JsonStreamContext array) {
        String path = "";
        for (JsonStreamContext context = at; context != null && context != array; context = context.getParent()) {
            if (context.inObject() && context.getCurrentName() != null) {
                path = context.getCurrentName() + (path.isEmpty() || path.startsWith("[") ? "" : ".") + path;
            } else if (context.inArray() && context.getCurrentIndex() >= 0) {
                path = "[" + context.getCurrentIndex() + "]" + path;
            }
        }
        return path.isEmpty() ? "(item)" : path;
    }

    /** Wherever reading an item stopped, moves the parser on to the item's last token. */
    private static void skipRestOfItem(JsonParser parser, JsonStreamContext array) throws IOException {
        while (parser.getParsingContext() != array) {
            if (parser.nextToken() == null) {
                throw new IOException("list body ends inside an item");
            }
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
     * @param unreadable the items left out because they could not be read
     */
    record Walk<T>(List<T> items, boolean consistent, List<Unreadable> unreadable) {
        static <T> Walk<T> of(List<ListBody<T>> pages, Function<T, String> idOf) {
            Map<String, T> byId = new LinkedHashMap<>();
            boolean consistent = true;
            List<Unreadable> unreadable = new ArrayList<>();
            Long firstCount = pages.isEmpty() ? null : pages.get(0).totalCount();
            for (ListBody<T> page : pages) {
                for (T item : page.results()) {
                    consistent &= byId.put(idOf.apply(item), item) == null;
                }
                consistent &= firstCount == null || page.totalCount() == null || firstCount.equals(page.totalCount());
                unreadable.addAll(page.unreadable());
            }
            if (pages.size() > 1 && firstCount != null) {
                consistent &= byId.size() + unreadable.size() >= firstCount;
            }
            return new Walk<>(List.copyOf(byId.values()), consistent, List.copyOf(unreadable));
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
                throw new MissingField(type.getSimpleName(), requiredField);
            }
            return AtlasJson.MAPPER.treeToValue(node, type);
        };
    }
}
