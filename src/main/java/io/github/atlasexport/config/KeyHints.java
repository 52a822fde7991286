package io.github.atlasexport.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for misspelt keys: the known key nearest by edit distance, ignoring case, if close. */
final class KeyHints {

    private KeyHints() {
    }

    static Optional<String> closest(String key, Collection<String> known) {
        String k = key.toLowerCase(Locale.ROOT);
        int limit = Math.max(1, Math.min(3, k.length() / 3));
        return known.stream()
                .filter(candidate -> distance(k, candidate.toLowerCase(Locale.ROOT)) <= limit)
                .min(Comparator.comparingInt(candidate -> distance(k, candidate.toLowerCase(Locale.ROOT))));
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[b.length()];
    }
}
