package io.github.atlasexport.simulator;

import java.util.Locale;
import java.util.function.Function;

/**
 * The query parameters every Atlas resource understands, validated as Atlas does: a bad value is
 * a 400 {@code INVALID_QUERY_PARAMETER} that names the parameter.
 */
record QueryOptions(int pageNum, int itemsPerPage, boolean includeCount, boolean envelope, boolean pretty) {
    static final int DEFAULT_ITEMS_PER_PAGE = 100;
    static final int MAX_ITEMS_PER_PAGE = 500;
    /** No query parameters: the first page, compact, without an envelope. */
    static final QueryOptions DEFAULT = new QueryOptions(1, DEFAULT_ITEMS_PER_PAGE, true, false, false);

    static QueryOptions parse(Function<String, String> param) {
        return new QueryOptions(
                integer(param, "pageNum", 1, 1, Integer.MAX_VALUE),
                integer(param, "itemsPerPage", DEFAULT_ITEMS_PER_PAGE, 1, MAX_ITEMS_PER_PAGE),
                flag(param, "includeCount", true),
                flag(param, "envelope", false),
                flag(param, "pretty", false));
    }

    /** Items skipped before this page. */
    long offset() {
        return (long) (pageNum - 1) * itemsPerPage;
    }

    /** Whether a page follows this one in a list of {@code total} items. */
    boolean hasNext(int total) {
        return offset() + itemsPerPage < total;
    }

    private static int integer(Function<String, String> param, String name, int fallback, int min, int max) {
        String text = param.apply(name);
        if (text == null) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw invalid(name, text, "must be an integer");
        }
        if (value < min || value > max) {
            throw invalid(name, text, max == Integer.MAX_VALUE
                    ? "must be at least " + min
                    : "must be between " + min + " and " + max);
        }
        return (int) value;
    }

    private static boolean flag(Function<String, String> param, String name, boolean fallback) {
        String text = param.apply(name);
        if (text == null) {
            return fallback;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(name, text, "must be true or false");
        };
    }

    private static ApiError invalid(String name, String value, String rule) {
        return ApiError.badRequest("INVALID_QUERY_PARAMETER",
                "Invalid value '" + value + "' for query parameter " + name + ": " + rule + ".", name, value);
    }
}
