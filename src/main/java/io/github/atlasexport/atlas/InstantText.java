package io.github.atlasexport.atlas;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The ISO-8601 text of an instant exactly as {@link Instant#toString()} (and so Jackson's
 * {@code JavaTimeModule}) writes it: UTC, {@code Z}, a fraction only when non-zero, in groups of
 * three digits. Hand-written because {@code DateTimeFormatter} took three quarters of the time to
 * write a 500,000-job state store (five instants a job); this is several times faster.
 */
public final class InstantText {
    /** 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z: four-digit years, no sign. Outside: {@link Instant#toString()}. */
    private static final long FIRST_FAST = -62_167_219_200L;
    private static final long LAST_FAST = 253_402_300_799L;
    private static final int SECONDS_PER_DAY = 86_400;
    /** Long enough for any instant, {@link Instant#MAX} included. */
    private static final int MAX_LENGTH = 40;

    private InstantText() {
    }

    public static String format(Instant instant) {
        char[] text = new char[MAX_LENGTH];
        return new String(text, 0, write(instant, text));
    }

    /**
     * A Jackson module writing every {@link Instant} with {@link #format}; add it after
     * {@code JavaTimeModule} (the later module wins) with {@code WRITE_DATES_AS_TIMESTAMPS} off.
     */
    public static Module jacksonModule() {
        return new SimpleModule("instant-text").addSerializer(Instant.class, new Serializer());
    }

    /** Writes the text into {@code out} (at least {@link #MAX_LENGTH} long); returns its length. */
    static int write(Instant instant, char[] out) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_FAST || seconds > LAST_FAST) {
            String text = instant.toString();
            text.getChars(0, text.length(), out, 0);
            return text.length();
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        int at = digits(out, 0, date.getYear(), 4);
        out[at++] = '-';
        at = digits(out, at, date.getMonthValue(), 2);
        out[at++] = '-';
        at = digits(out, at, date.getDayOfMonth(), 2);
        out[at++] = 'T';
        at = digits(out, at, secondOfDay / 3600, 2);
        out[at++] = ':';
        at = digits(out, at, secondOfDay / 60 % 60, 2);
        out[at++] = ':';
        at = digits(out, at, secondOfDay % 60, 2);
        int nano = instant.getNano();
        if (nano != 0) {
            out[at++] = '.';
            if (nano % 1_000_000 == 0) {
                at = digits(out, at, nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                at = digits(out, at, nano / 1000, 6);
            } else {
                at = digits(out, at, nano, 9);
            }
        }
        out[at++] = 'Z';
        return at;
    }

    /** {@code value} zero-padded to {@code width} digits at {@code at}; returns the position after them. */
    private static int digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    private static final class Serializer extends StdSerializer<Instant> {
        Serializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            char[] text = new char[MAX_LENGTH];
            gen.writeString(text, 0, write(value, text));
        }
    }
}
