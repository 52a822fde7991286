package io.github.atlasexport.metrics;

import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * One rendering of all metrics. The body stays bytes because that is what goes on the wire: with
 * 100,000 jobs it runs to tens of megabytes, and a String would be one more copy.
 *
 * @param contentType the {@code Content-Type} to send with {@code body}
 */
public record ScrapeResult(String contentType, byte[] body) {
    public ScrapeResult {
        requireNonNull(contentType, "contentType must not be null");
        requireNonNull(body, "body must not be null");
    }

    /** The body as text (UTF-8, as both formats are). */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
