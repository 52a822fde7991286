package io.github.atlasexport.atlas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code WWW-Authenticate: Digest ...} challenge (RFC 7616 section 3.3), reduced to what the
 * client uses. {@code algorithm} is one of MD5, MD5-sess, SHA-256, SHA-256-sess; {@code qopAuth}
 * false means the server offered no qop (RFC 2069 style).
 */
record DigestChallenge(String realm, String nonce, String opaque, String algorithm, boolean qopAuth, boolean stale) {
    /** Key under which a challenge's (lower-cased) auth scheme is stored; cannot clash with a parameter name. */
    private static final String SCHEME = " scheme";
    private static final List<String> ALGORITHMS_BY_PREFERENCE = List.of("SHA-256", "SHA-256-sess", "MD5", "MD5-sess");

    /** The best usable Digest challenge among all the WWW-Authenticate header values of one response. */
    static Optional<DigestChallenge> select(List<String> headerValues) {
        DigestChallenge best = null;
        for (String value : headerValues) {
            for (Map<String, String> params : parseChallenges(value)) {
                DigestChallenge candidate = fromParams(params);
                if (candidate != null && (best == null || rank(candidate) < rank(best))) {
                    best = candidate;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static int rank(DigestChallenge challenge) {
        return ALGORITHMS_BY_PREFERENCE.indexOf(challenge.algorithm());
    }

    /** Null when it is not Digest, lacks realm or nonce, holds a control character, or asks for what we do not speak (auth-int only, other algorithms). */
    private static DigestChallenge fromParams(Map<String, String> params) {
        if (!"digest".equals(params.get(SCHEME)) || params.get("realm") == null || params.get("nonce") == null
                || params.values().stream().anyMatch(DigestChallenge::hasControlCharacter)) {
            return null; // a control character would go back in our Authorization header, which must not carry one
        }
        String algorithm = canonicalAlgorithm(params.getOrDefault("algorithm", "MD5"));
        String qop = params.get("qop");
        boolean qopAuth = qop != null && List.of(qop.split(",")).stream().anyMatch(q -> q.trim().equalsIgnoreCase("auth"));
        if (algorithm == null || (qop != null && !qopAuth)) {
            return null;
        }
        return new DigestChallenge(params.get("realm"), params.get("nonce"), params.get("opaque"), algorithm, qopAuth,
                "true".equalsIgnoreCase(params.get("stale")));
    }

    private static boolean hasControlCharacter(String value) {
        return value.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static String canonicalAlgorithm(String algorithm) {
        for (String known : ALGORITHMS_BY_PREFERENCE) {
            if (known.equalsIgnoreCase(algorithm.trim())) {
                return known;
            }
        }
        return null;
    }

    /**
     * Splits a header value into challenges: {@code scheme param=value, param="quoted \"value\"", Other ...}.
     * A bare token starts a new challenge; parameter names are lower-cased.
     */
    static List<Map<String, String>> parseChallenges(String header) {
        List<Map<String, String>> challenges = new ArrayList<>();
        Map<String, String> current = null;
        int i = 0;
        int n = header.length();
        while (i < n) {
            char c = header.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && header.charAt(i) != '=' && header.charAt(i) != ',' && !Character.isWhitespace(header.charAt(i))) {
                i++;
            }
            if (i == start) {
                i++; // a stray '=' (token68 padding): nothing to keep
                continue;
            }
            String token = header.substring(start, i);
            int afterToken = i;
            while (i < n && Character.isWhitespace(header.charAt(i))) {
                i++;
            }
            if (i < n && header.charAt(i) == '=' && current != null) {
                i++;
                while (i < n && Character.isWhitespace(header.charAt(i))) {
                    i++;
                }
                StringBuilder value = new StringBuilder();
                i = readValue(header, i, value);
                current.put(token.toLowerCase(Locale.ROOT), value.toString());
            } else {
                current = new HashMap<>();
                current.put(SCHEME, token.toLowerCase(Locale.ROOT));
                challenges.add(current);
                i = afterToken;
            }
        }
        return challenges;
    }

    /** Reads a quoted-string (with backslash escapes) or a token starting at {@code i}; returns the index after it. */
    private static int readValue(String header, int i, StringBuilder value) {
        int n = header.length();
        if (i < n && header.charAt(i) == '"') {
            i++;
            while (i < n && header.charAt(i) != '"') {
                if (header.charAt(i) == '\\' && i + 1 < n) {
                    i++;
                }
                value.append(header.charAt(i++));
            }
            return i + 1;
        }
        while (i < n && header.charAt(i) != ',' && !Character.isWhitespace(header.charAt(i))) {
            value.append(header.charAt(i++));
        }
        return i;
    }
}
