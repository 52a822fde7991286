package io.github.atlasexport.dashboards;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series selectors and range durations of a PromQL expression, found by a small scanner. Not a parser
 * (promtool checks syntax): it only needs to tell metric names from functions, operators and label lists.
 *
 * @param selectors every vector selector, in order
 * @param ranges    the text inside every {@code [...]}, e.g. {@code $__rate_interval}
 */
record PromQlScan(List<Selector> selectors, List<String> ranges) {

    /**
     * @param metric   metric name, empty for a selector with only label matchers
     * @param matchers label name to operator and value, e.g. {@code job -> =~$job}
     */
    record Selector(String metric, Map<String, String> matchers) {
    }

    /** Words that are followed by a label list in parentheses rather than by an expression. */
    private static final Set<String> LABEL_LIST_WORDS = Set.of(
            "by", "without", "on", "ignoring", "group_left", "group_right");

    /** Operators and aggregations that may stand without a directly following parenthesis. */
    private static final Set<String> KEYWORDS = Set.of(
            "and", "or", "unless", "bool", "offset", "inf", "nan", "atan2",
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
            "bottomk", "topk", "quantile");

    private static final Pattern MATCHER = Pattern.compile(
            "([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    static PromQlScan of(String expr) {
        List<Selector> selectors = new ArrayList<>();
        List<String> ranges = new ArrayList<>();
        int i = 0;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = afterString(expr, i);
            } else if (c == '[') {
                int close = indexOutsideStrings(expr, i, ']');
                ranges.add(expr.substring(i + 1, close).trim());
                i = close + 1;
            } else if (c == '{') {
                int close = indexOutsideStrings(expr, i, '}');
                selectors.add(new Selector("", matchers(expr.substring(i + 1, close))));
                i = close + 1;
            } else if (Character.isDigit(c) || c == '.') {
                // numbers and durations (86400, 0.99, 1e3, 1d): never names
                while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                i = word(expr, i, selectors);
            } else {
                i++;
            }
        }
        return new PromQlScan(List.copyOf(selectors), List.copyOf(ranges));
    }

    /** Every metric name the expression selects. */
    List<String> metricNames() {
        return selectors.stream().map(Selector::metric).filter(m -> !m.isEmpty()).toList();
    }

    private static int word(String expr, int start, List<Selector> selectors) {
        int end = start;
        while (end < expr.length() && (Character.isLetterOrDigit(expr.charAt(end)) || "_:".indexOf(expr.charAt(end)) >= 0)) {
            end++;
        }
        String word = expr.substring(start, end);
        int next = end;
        while (next < expr.length() && Character.isWhitespace(expr.charAt(next))) {
            next++;
        }
        boolean parenthesis = next < expr.length() && expr.charAt(next) == '(';
        if (LABEL_LIST_WORDS.contains(word)) {
            return parenthesis ? expr.indexOf(')', next) + 1 : end;
        }
        if (KEYWORDS.contains(word) || parenthesis) {
            return end; // an operator, an aggregation or a function call
        }
        if (next < expr.length() && expr.charAt(next) == '{') {
            int close = indexOutsideStrings(expr, next, '}');
            selectors.add(new Selector(word, matchers(expr.substring(next + 1, close))));
            return close + 1;
        }
        selectors.add(new Selector(word, Map.of()));
        return end;
    }

    private static Map<String, String> matchers(String text) {
        Map<String, String> matchers = new LinkedHashMap<>();
        Matcher m = MATCHER.matcher(text);
        while (m.find()) {
            matchers.put(m.group(1), m.group(2) + m.group(3));
        }
        return matchers;
    }

    private static int indexOutsideStrings(String expr, int from, char wanted) {
        int i = from + 1;
        while (i < expr.length() && expr.charAt(i) != wanted) {
            char c = expr.charAt(i);
            i = c == '"' || c == '\'' || c == '`' ? afterString(expr, i) : i + 1;
        }
        if (i >= expr.length()) {
            throw new IllegalArgumentException("unclosed '" + expr.charAt(from) + "' in: " + expr);
        }
        return i;
    }

    private static int afterString(String expr, int open) {
        char quote = expr.charAt(open);
        int i = open + 1;
        while (i < expr.length() && expr.charAt(i) != quote) {
            i += quote != '`' && expr.charAt(i) == '\\' ? 2 : 1;
        }
        if (i >= expr.length()) {
            throw new IllegalArgumentException("unclosed string in: " + expr);
        }
        return i + 1;
    }
}
