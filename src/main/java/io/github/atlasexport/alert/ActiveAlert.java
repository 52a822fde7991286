package io.github.atlasexport.alert;

import java.time.Instant;
import java.util.Map;

/** An alert that is firing now, as listed by {@code /api/v1/alerts} and the status page. */
public record ActiveAlert(String alertname, String severity, Map<String, String> labels,
                          Map<String, String> annotations, Instant startsAt) {
    public ActiveAlert {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
