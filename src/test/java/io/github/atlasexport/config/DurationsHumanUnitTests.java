package io.github.atlasexport.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Durations#human}: the way log lines and the CLI write a duration. */
class DurationsHumanUnitTests {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "PT7H1M1.696S, 7h1m",
            "PT7H0.696S,   7h",
            "PT90S,        1m30s",
            "PT0.25S,      250ms",
            "PT1.5S,       1s500ms",
            "PT0S,         0s",
            "P2DT3H59M,    2d3h",
            "PT-1M-30S,    -1m30s",
            "PT0.000001S,  0s",
    })
    void twoLargestUnitsRoundedDown(String iso, String expected) {
        assertEquals(expected, Durations.human(Duration.parse(iso)));
    }
}
