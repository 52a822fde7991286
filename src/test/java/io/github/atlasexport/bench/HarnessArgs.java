package io.github.atlasexport.bench;

import io.github.atlasexport.config.Durations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} pairs of a harness's command line; {@link #finish()} rejects names nobody asked for. */
final class HarnessArgs {
    private final Map<String, String> values;

    private HarnessArgs(Map<String, String> values) {
        this.values = values;
    }

    static HarnessArgs parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
        return new HarnessArgs(values);
    }

    int integer(String name, int fallback) {
        String value = values.remove(name);
        return value == null ? fallback : Integer.parseInt(value.replace("_", "").replace(",", ""));
    }

    Duration duration(String name, Duration fallback) {
        String value = values.remove(name);
        return value == null ? fallback : Durations.parse(value);
    }

    String text(String name, String fallback) {
        String value = values.remove(name);
        return value == null ? fallback : value;
    }

    Path path(String name, Path fallback) {
        String value = values.remove(name);
        return value == null ? fallback : Path.of(value);
    }

    void finish() {
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown options: " + values.keySet());
        }
    }
}
