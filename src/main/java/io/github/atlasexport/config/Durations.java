package io.github.atlasexport.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The config's duration syntax: one or more {@code <digits><unit>} parts with units {@code ms, s, m,
 * h, d} ({@code 90s}, {@code 1h30m}, {@code 500ms}), a bare {@code 0}, or ISO-8601 ({@code PT1H}).
 * Negative durations and anything finer than a millisecond are rejected.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    /** @throws IllegalArgumentException with a message fit to follow "key: " in a config error */
    public static Duration parse(String text) {
        String s = text.strip();
        if (s.startsWith("-")) {
            throw new IllegalArgumentException("must not be negative, got '" + s + "'");
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Duration total = s.startsWith("P") || s.startsWith("p") ? iso(s) : units(s);
        if (total.isNegative()) {
            throw new IllegalArgumentException("must not be negative, got '" + s + "'");
        }
        try {
            total.toMillis(); // what every consumer does with it: a value that overflows here is no duration
        } catch (ArithmeticException e) {
            throw tooLarge(s);
        }
        if (total.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("must be a whole number of milliseconds, got '" + s + "'");
        }
        return total;
    }

    /** The shortest text {@link #parse} reads back to the same duration: {@code 1h30m}, {@code 7d}, {@code 0s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        append(out, d.toDaysPart(), "d");
        append(out, d.toHoursPart(), "h");
        append(out, d.toMinutesPart(), "m");
        append(out, d.toSecondsPart(), "s");
        append(out, d.toMillisPart(), "ms");
        return out.toString();
    }

    /**
     * The one way a duration is written for people (log lines, the CLI): its two largest units, rounded
     * down, {@code 7h1m}, {@code 1m30s}, {@code 2d}, {@code 250ms}; never ISO-8601's {@code PT7H1M1.696S}.
     */
    public static String human(Duration d) {
        if (d.isNegative()) {
            return "-" + human(d.negated());
        }
        long[] amounts = {d.toDaysPart(), d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart(), d.toMillisPart()};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < amounts.length; i++) {
            if (amounts[i] != 0) {
                boolean minor = i + 1 < amounts.length && amounts[i + 1] != 0;
                return amounts[i] + units[i] + (minor ? amounts[i + 1] + units[i + 1] : "");
            }
        }
        return "0s";
    }

    private static void append(StringBuilder out, long amount, String unit) {
        if (amount != 0) {
            out.append(amount).append(unit);
        }
    }

    private static Duration units(String s) {
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            try {
                total = total.plus(part(m.group(1), m.group(2), s));
            } catch (ArithmeticException e) {
                throw tooLarge(s);
            }
            end = m.end();
        }
        if (end == 0 || end != s.length()) {
            throw new IllegalArgumentException(
                    "not a duration: '" + s + "' (use e.g. 500ms, 90s, 15m, 6h, 7d or 1h30m)");
        }
        return total;
    }

    private static Duration part(String digits, String unit, String whole) {
        try {
            long n = Long.parseLong(digits);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw tooLarge(whole);
        }
    }

    private static IllegalArgumentException tooLarge(String s) {
        return new IllegalArgumentException("duration too large: '" + s + "'");
    }

    private static Duration iso(String s) {
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 duration: '" + s + "'");
        }
    }
}
