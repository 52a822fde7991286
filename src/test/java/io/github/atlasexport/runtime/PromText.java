package io.github.atlasexport.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus text exposition (0.0.4), looked up by metric name and exact label set,
 * so that tests can assert values rather than search for substrings.
 */
final class PromText {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    private final String text;
    private final Map<String, Map<Map<String, String>, Double>> samples = new LinkedHashMap<>();

    private PromText(String text) {
        this.text = text;
    }

    static PromText parse(String text) {
        PromText parsed = new PromText(text);
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new AssertionError("not a sample line: " + line);
            }
            Map<String, String> labels = new TreeMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            Map<Map<String, String>, Double> family = parsed.samples.computeIfAbsent(sample.group(1), n -> new LinkedHashMap<>());
            if (family.put(labels, Double.parseDouble(sample.group(3))) != null) {
                throw new AssertionError("duplicate sample: " + line);
            }
        }
        return parsed;
    }

    /** The sample with exactly these labels, or null when there is none. */
    Double value(String name, Map<String, String> labels) {
        return series(name).get(new TreeMap<>(labels));
    }

    /** Every sample of {@code name}, by label set. */
    Map<Map<String, String>, Double> series(String name) {
        return samples.getOrDefault(name, Map.of());
    }

    /** The samples of {@code name} whose labels include {@code match}, keyed by the value of {@code label}. */
    Map<String, Double> byLabel(String name, String label, Map<String, String> match) {
        Map<String, Double> out = new TreeMap<>();
        series(name).forEach((labels, value) -> {
            if (labels.entrySet().containsAll(match.entrySet())) {
                if (out.put(labels.get(label), value) != null) {
                    throw new AssertionError("more than one " + name + " sample per " + label + " matches " + match);
                }
            }
        });
        return out;
    }

    String text() {
        return text;
    }

    /** The monitor's own samples only: enough to see why an assertion failed without the JVM metrics. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        text.lines().filter(line -> line.startsWith("atlas_export_")).forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }
}
