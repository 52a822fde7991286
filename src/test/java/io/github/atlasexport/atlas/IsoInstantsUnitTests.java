package io.github.atlasexport.atlas;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IsoInstantsUnitTests {

    private static Instant parse(String text) {
        char[] padded = ("xx" + text + "yy").toCharArray(); // an offset into a larger buffer, as the parser hands it over
        return IsoInstants.parse(padded, 2, text.length());
    }

    @Test
    void readsWhatAtlasWritesExactlyAsInstantParseDoes() {
        List<String> handled = List.of(
                "2024-05-01T10:00:00Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z", "2024-02-29T12:34:56Z", "2000-02-29T00:00:00Z", "2023-12-31T23:59:59Z",
                "2024-05-01T10:00:00.5Z", "2024-05-01T10:00:00.123Z", "2024-05-01T10:00:00.123456Z",
                "2024-05-01T10:00:00.123456789Z", "2024-05-01T10:00:00.000Z",
                "2024-05-01T10:00:00+02:00", "2024-05-01T01:00:00-05:30", "2024-01-01T00:30:00+01:00",
                "2024-05-01T10:00:00.25+00:00", "2024-05-01T10:00:00-00:00", "2024-12-31T23:00:00-17:59");
        for (String text : handled) {
            Instant fast = parse(text);
            assertNotNull(fast, text);
            assertEquals(Instant.parse(text), fast, text);
        }
        for (int day = 0; day < 3 * 366; day += 7) { // every month length, leap years and not
            Instant at = Instant.parse("2023-01-01T08:09:10Z").plusSeconds(day * 86_400L + day);
            assertEquals(at, parse(at.toString()), at.toString());
        }
    }

    @Test
    void leavesEveryOtherFormToTheLibrary() {
        List<String> others = List.of(
                "", "2024-05-01", "2024-05-01T10:00:00", "2024-05-01T10:00Z", "2024-05-01 10:00:00Z",
                "2024-05-01t10:00:00z", "+12024-05-01T10:00:00Z", "2024-05-01T10:00:60Z", "2024-05-01T24:00:00Z",
                "2024-02-30T10:00:00Z", "2023-02-29T10:00:00Z", "2024-13-01T10:00:00Z", "2024-00-01T10:00:00Z",
                "2024-05-01T10:00:00.Z", "2024-05-01T10:00:00.1234567891Z", "2024-05-01T10:00:00+18:00",
                "2024-05-01T10:00:00+0200", "2024-05-01T10:00:00+02", "2024-05-01T10:00:00+02:00:00",
                "2024-05-01T10:00:00ZZ", "2024-5-01T10:00:00Z", "1714557600");
        for (String text : others) {
            assertNull(parse(text), text);
        }
    }

    @Test
    void neverAcceptsWhatInstantParseRejects() {
        for (String bad : List.of("2024-02-30T10:00:00Z", "2024-05-01T10:00:00+02:60", "2024-05-01T1a:00:00Z")) {
            assertThrows(DateTimeParseException.class, () -> Instant.parse(bad), bad);
            assertNull(parse(bad), bad);
        }
    }
}
