package io.github.atlasexport.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationsUnitTests {

    @ParameterizedTest
    @ValueSource(strings = {"0s", "500ms", "90s", "1m30s", "15m", "6h", "7d", "1h30m", "1d2h3m4s5ms"})
    void formatIsTheShortestTextThatParsesBack(String text) {
        Duration d = Durations.parse(text);

        assertEquals(d, Durations.parse(Durations.format(d)));
    }

    @Test
    void formatPicksLargestUnits() {
        assertEquals("1m30s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("7d", Durations.format(Duration.ofHours(168)));
        assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
        assertEquals("0s", Durations.format(Duration.ZERO));
    }

    @Test
    void rejectsNegativeAndSubMillisecond() {
        assertEquals("must not be negative, got '-5m'",
                assertThrows(IllegalArgumentException.class, () -> Durations.parse("-5m")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("PT0.0001S"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("1h 30m"));
    }
}
