package io.github.atlasexport.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A cursor over one YAML mapping that reads typed values by key, reports each problem under the key's
 * path and remembers which keys were asked for, so {@link #finish()} can name the keys nobody knows.
 * A value of the wrong type is reported and read as absent, so mapping goes on and finds more problems.
 * {@link #integer}, {@link #bool} and {@link #duration} quote a bad value in their message: never use
 * them for secrets; {@link #required}, {@link #nonBlank} and {@link #stringMap} never quote values.
 */
final class Section {

    private final JsonNode node;
    private final String path;
    private static final String HIDDEN = "(a value from an environment variable, not shown)";

    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();

    private Section(JsonNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** The document root: must be a mapping (an empty document reads as an empty one). */
    static Section root(JsonNode root, Problems problems) {
        return of(root, "", problems);
    }

    private static Section of(JsonNode node, String path, Problems problems) {
        if (node.isMissingNode() || node.isNull() || node.isObject()) {
            return new Section(node, path, problems);
        }
        problems.add(path, "expected a mapping of keys, got " + kind(node));
        return new Section(MissingNode.getInstance(), path, problems);
    }

    String path() {
        return path;
    }

    String path(String key) {
        return KeyPaths.child(path, key);
    }

    /** Whether the key is present with a non-null value. */
    boolean has(String key) {
        known.add(key);
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    void problem(String key, String message) {
        problems.add(path(key), message);
    }

    /** For a problem deeper than one key, such as a list item. */
    void problemAt(String fullPath, String message) {
        problems.add(fullPath, message);
    }

    void problem(String message) {
        problems.add(path, message);
    }

    /** A nested mapping; empty when absent. */
    Section section(String key) {
        known.add(key);
        return of(node.path(key), path(key), problems);
    }

    /** A sequence of mappings; empty when absent. */
    List<Section> sections(String key) {
        List<Section> out = new ArrayList<>();
        sequence(key, (item, itemPath) -> out.add(of(item, itemPath, problems)));
        return out;
    }

    /** Visits each item of a sequence with its path; reports a non-sequence. */
    void sequence(String key, BiConsumer<JsonNode, String> visitor) {
        JsonNode v = raw(key);
        if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                visitor.accept(v.get(i), KeyPaths.index(path(key), i));
            }
        } else if (!v.isMissingNode()) {
            problem(key, "expected a list, got " + kind(v));
        }
    }

    /** The value under the key, {@link MissingNode} when absent or null. */
    JsonNode raw(String key) {
        known.add(key);
        JsonNode v = node.path(key);
        return v.isNull() ? MissingNode.getInstance() : v;
    }

    /** A scalar as text; empty when absent or not a scalar (the latter reported). */
    Optional<String> text(String key) {
        JsonNode v = raw(key);
        if (v.isMissingNode()) {
            return Optional.empty();
        }
        if (!v.isValueNode()) {
            problem(key, "expected a single value, got " + kind(v));
            return Optional.empty();
        }
        return Optional.of(v.asText());
    }

    /** A scalar that must be present and not blank; the value itself is never quoted in messages. */
    Optional<String> required(String key) {
        Optional<String> v = text(key);
        if (v.isEmpty() && !has(key)) {
            problem(key, "is required");
        } else if (v.isPresent() && v.get().isBlank()) {
            problem(key, "must not be empty");
            return Optional.empty();
        }
        return v;
    }

    /** An optional scalar that, when given, must not be blank. */
    String nonBlank(String key, String fallback) {
        Optional<String> v = text(key);
        if (v.isPresent() && v.get().isBlank()) {
            problem(key, "must not be empty");
        }
        return v.filter(s -> !s.isBlank()).orElse(fallback);
    }

    /**
     * A duration within {@code min..max}; with {@code zeroAllowed}, {@code 0} as well (it turns a rule off
     * or keeps nothing). Every bound keeps the arithmetic done with the value (delays, sums) from overflowing.
     */
    Duration duration(String key, Duration fallback, Duration min, Duration max, boolean zeroAllowed) {
        return text(key).map(s -> {
            try {
                Duration d = Durations.parse(s);
                if (d.isZero() && zeroAllowed) {
                    return d;
                }
                if (d.isZero() && !min.isZero()) {
                    problem(key, "must be greater than 0" + allowed(min, max, zeroAllowed));
                } else if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                    problem(key, "must be " + (d.compareTo(min) < 0 ? "at least " + Durations.format(min)
                            : "at most " + Durations.format(max)) + ", got " + quoted(key, s.strip()) + allowed(min, max, zeroAllowed));
                } else {
                    return d;
                }
                return fallback;
            } catch (IllegalArgumentException e) { // the message quotes the value as Durations read it: stripped
                problem(key, hidden(path(key)) ? e.getMessage().replace("'" + s.strip() + "'", HIDDEN) : e.getMessage());
                return fallback;
            }
        }).orElse(fallback);
    }

    private static String allowed(Duration min, Duration max, boolean zeroAllowed) {
        return " (allowed: " + (zeroAllowed && !min.isZero() ? "0 or " : "") + Durations.format(min) + ".."
                + Durations.format(max) + ")";
    }

    /** A whole number within {@code min..max}. */
    int integer(String key, int fallback, int min, int max) {
        return text(key).map(s -> {
            try {
                int n = Integer.parseInt(s.strip());
                if (n < min || n > max) {
                    problem(key, "must be " + (n < min ? "at least " + min : "at most " + max) + ", got "
                            + (hidden(path(key)) ? HIDDEN : n) + " (allowed: " + min + ".." + max + ")");
                    return fallback;
                }
                return n;
            } catch (NumberFormatException e) {
                problem(key, "must be a whole number, got " + quoted(key, s) + " (allowed: " + min + ".." + max + ")");
                return fallback;
            }
        }).orElse(fallback);
    }

    boolean bool(String key, boolean fallback) {
        return text(key).map(s -> switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problem(key, "must be true or false, got " + quoted(key, s));
                yield fallback;
            }
        }).orElse(fallback);
    }

    /** A mapping of text to text (HTTP headers); values are never quoted in messages. */
    Map<String, String> stringMap(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        Section map = section(key);
        for (Iterator<String> names = map.node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            map.text(name).ifPresent(value -> out.put(name, value));
        }
        return out;
    }

    /** Reports every key of this mapping that no reader asked for, with a hint when one is close. */
    void finish() {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!known.contains(key)) {
                String hint = KeyHints.closest(key, known)
                        .map(k -> " (did you mean '" + k + "'?)")
                        .orElseGet(() -> known.isEmpty() ? "" : " (expected one of: " + String.join(", ", known) + ")");
                problem(key, "unknown key" + hint);
            }
        }
    }

    /**
     * The value of {@code key}, quoted for a message about it; for messages about non-secret keys only.
     * A value from an environment variable is not shown: it may be a secret expanded under the wrong key.
     */
    String quoted(String key, String value) {
        return quotedAt(path(key), value);
    }

    /** {@link #quoted} for a value deeper than one key, such as a list item. */
    String quotedAt(String fullPath, String value) {
        return hidden(fullPath) ? HIDDEN : "'" + Redact.userInfo(value) + "'";
    }

    private boolean hidden(String fullPath) {
        return problems.isFromEnvironment(fullPath);
    }

    private static String kind(JsonNode v) {
        return v.isArray() ? "a list" : v.isObject() ? "a mapping" : "a single value";
    }
}
