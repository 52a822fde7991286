package io.github.atlasexport.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Collects every problem of one config source, so the user fixes them all in one go. */
final class Problems {

    private final String source;
    private final Map<String, Integer> lines = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> fromEnvironment = new HashSet<>();

    private record Problem(int line, String text) {
    }

    Problems(String source) {
        this.source = source;
    }

    /** Remembers where a key path is written, to point at it in messages. */
    void line(String path, int line) {
        lines.putIfAbsent(path, line);
    }

    /** The value at {@code path} was expanded from an environment variable: messages must not show it. */
    void fromEnvironment(String path) {
        fromEnvironment.add(path);
    }

    boolean isFromEnvironment(String path) {
        return fromEnvironment.contains(path);
    }

    /** {@code path} is the key path ({@code ""} for the whole document); the message never holds a secret. */
    void add(String path, String message) {
        int line = lineOf(path);
        String where = source + (line > 0 ? ":" + line : "") + ": ";
        problems.add(new Problem(line, where + (path.isEmpty() ? "" : path + ": ") + message));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            List<String> texts = problems.stream()
                    .sorted(Comparator.comparingInt(Problem::line))
                    .map(Problem::text)
                    .toList();
            throw new ConfigException(source, texts);
        }
    }

    /** A missing key has no line of its own: use the nearest enclosing key that has one. */
    private int lineOf(String path) {
        for (String p = path; !p.isEmpty(); p = KeyPaths.parent(p)) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
        }
        return 0;
    }
}
