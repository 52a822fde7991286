package io.github.atlasexport.simulator;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Versioned media types of the v2 API. Like Atlas, a requested version date resolves to the newest
 * version not after it; 2023-01-01 is the only version of these resources, so any date from then
 * on is served as 2023-01-01 and an earlier or missing one is refused.
 */
final class MediaTypes {
    private static final Pattern VERSIONED = Pattern.compile("application/vnd\\.atlas\\.(\\d{4}-\\d{2}-\\d{2})\\+json");
    private static final LocalDate ONLY_VERSION = LocalDate.of(2023, 1, 1);

    private MediaTypes() {
    }

    /** Whether a v2 {@code Accept} header asks for a version this API serves. */
    static boolean acceptsV2(String accept) {
        if (accept == null) {
            return false;
        }
        for (String range : accept.split(",")) {
            if (servedVersion(range)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a v2 request body's {@code Content-Type} names a version this API serves. */
    static boolean isV2Body(String contentType) {
        return contentType != null && servedVersion(contentType);
    }

    private static boolean servedVersion(String mediaRange) {
        String type = mediaRange.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        Matcher m = VERSIONED.matcher(type);
        if (!m.matches()) {
            return false;
        }
        try {
            return !LocalDate.parse(m.group(1)).isBefore(ONLY_VERSION);
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
