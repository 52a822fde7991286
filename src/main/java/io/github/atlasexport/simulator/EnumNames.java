package io.github.atlasexport.simulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Reads enum values the way people type them: {@code HangQueued}, {@code hang_queued}, {@code HANG-QUEUED}. */
final class EnumNames {
    private EnumNames() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String text, String field) {
        String wanted = normalize(text);
        for (E constant : type.getEnumConstants()) {
            if (normalize(constant.name()).equals(wanted)) {
                return constant;
            }
        }
        String expected = Arrays.stream(type.getEnumConstants())
                .map(Object::toString)
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException(field + ": unknown value '" + text + "' (expected one of " + expected + ")");
    }

    /** {@code HANG_QUEUED} -> {@code HangQueued}; the spelling used in docs and JSON output. */
    static String display(Enum<?> constant) {
        StringBuilder out = new StringBuilder();
        for (String word : constant.name().split("_")) {
            out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    private static String normalize(String text) {
        return text.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }
}
