package io.github.atlasexport.atlas;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written formatter is held equal to {@link Instant#toString()} and to Jackson's own serializer. */
class InstantTextUnitTests {
    static final long FIRST_FAST = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    static final long LAST_FAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void writesWhatInstantToStringWrites() {
        List<Instant> edges = List.of(Instant.EPOCH, Instant.ofEpochSecond(-1), Instant.ofEpochSecond(-1, 1),
                Instant.ofEpochSecond(FIRST_FAST), Instant.ofEpochSecond(FIRST_FAST - 1, 999_999_999),
                Instant.ofEpochSecond(LAST_FAST, 999_999_999), Instant.ofEpochSecond(LAST_FAST + 1),
                Instant.MIN, Instant.MAX, Instant.parse("2024-02-29T23:59:59.5Z"), Instant.parse("2000-03-01T00:00:00Z"),
                Instant.parse("1900-02-28T12:00:00.000001Z"), Instant.parse("2026-12-02T16:53:19.931Z"));
        edges.forEach(instant -> assertEquals(instant.toString(), InstantText.format(instant)));

        SplittableRandom random = new SplittableRandom(42);
        int[] nanoSteps = {1_000_000_000, 1_000_000, 1000, 1};
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(FIRST_FAST - 86_400 * 400L, LAST_FAST + 86_400 * 400L);
            int step = nanoSteps[i % nanoSteps.length];
            int nano = step == 1_000_000_000 ? 0 : random.nextInt(1_000_000_000 / step) * step;
            Instant instant = Instant.ofEpochSecond(seconds, nano);
            assertEquals(instant.toString(), InstantText.format(instant));
        }
    }

    @Test
    void theJacksonModuleWritesWhatJavaTimeModuleWrites() throws Exception {
        ObjectMapper library = JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        ObjectMapper fast = JsonMapper.builder().addModule(new JavaTimeModule()).addModule(InstantText.jacksonModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        Map<String, Object> value = Map.of("at", Instant.parse("2024-05-01T10:00:00.123456789Z"),
                "list", List.of(Instant.EPOCH, Instant.parse("2024-05-01T10:00:00.120Z")));
        assertEquals(library.writeValueAsString(value), fast.writeValueAsString(value));
    }
}
