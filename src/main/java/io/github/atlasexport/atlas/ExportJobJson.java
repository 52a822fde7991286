package io.github.atlasexport.atlas;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.time.Instant;

/**
 * One export job read from its JSON (UTF-8 bytes), and one RFC 3339 instant from its text, with the same
 * streaming reader and hand-written timestamp parser the client reads pages with: the state store reads
 * 500,000 of each at a restart, where Jackson databind and {@link Instant#parse} cost seconds.
 */
public final class ExportJobJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ExportJobJson() {
    }

    /** @throws IllegalArgumentException if the text is not one job object with an id; the message says why */
    public static ExportJob read(byte[] json) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return ExportJobReader.read(parser);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException if the text is not an RFC 3339 instant */
    public static Instant instant(String text) {
        char[] chars = text.toCharArray();
        Instant parsed = IsoInstants.parse(chars, 0, chars.length);
        return parsed != null ? parsed : Instant.parse(text);
    }
}
