package io.github.atlasexport.simulator;

import io.github.atlasexport.atlas.DigestHash;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP Digest access authentication (RFC 7616) as the Atlas API does it: realm "MMS Public API",
 * qop=auth, challenges offering MD5; answers using SHA-256 (and the -sess variants) are accepted too.
 *
 * <p>A nonce is self-describing (issue time + random + HMAC), so any nonce this server issued can
 * be checked without storage. Its {@code nc} values must go up, as a strict server wants (see
 * {@link NonceCountWindow}): a replayed count, or one overtaken by a higher count, is refused with a
 * fresh challenge. The highest count per nonce is forgotten once the nonce has expired.
 */
final class DigestAuthenticator {
    static final String REALM = "MMS Public API";
    private static final int NONCE_LENGTH = 32;
    private static final int MAC_LENGTH = 16;
    private static final int SWEEP_EVERY = 4096;

    private final Map<String, String> passwords;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<Mac> macs;
    private final Map<String, NonceCountWindow> nonceCounts = new ConcurrentHashMap<>();
    private final AtomicInteger untilSweep = new AtomicInteger(SWEEP_EVERY);

    /** @param passwords private key by public key */
    DigestAuthenticator(Map<String, String> passwords, Duration lifetime, Clock clock) {
        this.passwords = Map.copyOf(passwords);
        this.lifetime = lifetime;
        this.clock = clock;
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
            }
        });
    }

    /** The {@code WWW-Authenticate} value of a 401, with a fresh nonce. */
    String challenge(boolean stale) {
        return "Digest realm=\"" + REALM + "\", domain=\"\", nonce=\"" + newNonce()
                + "\", algorithm=MD5, qop=\"auth\", stale=" + stale;
    }

    /**
     * @param requestUri the request-target as received; the {@code uri} the client signed must equal it
     */
    Verdict verify(String method, String requestUri, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Digest ", 0, 7)) {
            return Verdict.rejected("no digest credentials");
        }
        Map<String, String> p = parseParams(authorization.substring(7));
        String user = p.get("username");
        String nonce = p.get("nonce");
        String uri = p.get("uri");
        String response = p.get("response");
        String nc = p.get("nc");
        String cnonce = p.get("cnonce");
        if (user == null || nonce == null || uri == null || response == null || nc == null || cnonce == null) {
            return Verdict.rejected("incomplete digest credentials");
        }
        String password = passwords.get(user);
        if (password == null) {
            return Verdict.rejected("unknown API key");
        }
        if (!REALM.equals(p.get("realm")) || !"auth".equals(p.get("qop"))) {
            return Verdict.rejected("realm or qop not as challenged");
        }
        if (!uri.equals(requestUri)) {
            return Verdict.rejected("digest uri does not match the request");
        }
        String algorithm = p.getOrDefault("algorithm", "MD5");
        if (!algorithm.matches("(?i)(MD5|SHA-256)(-sess)?")) {
            return Verdict.rejected("unsupported algorithm " + algorithm);
        }
        long issued = verifiedIssueTime(nonce);
        if (issued < 0) {
            return Verdict.rejected("nonce not issued here");
        }
        String expected = DigestHash.response(algorithm, user, REALM, password, method, uri, nonce, nc, cnonce, "auth");
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                response.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.rejected("wrong credentials");
        }
        if (clock.millis() - issued > lifetime.toMillis()) {
            return Verdict.staleNonce();
        }
        long count;
        try {
            count = Long.parseLong(nc, 16);
        } catch (NumberFormatException e) {
            return Verdict.rejected("nc is not hexadecimal");
        }
        if (!admitNonceCount(nonce, count)) {
            return Verdict.rejected("nonce count not above the last one (replayed or out of order)");
        }
        return Verdict.accepted(user);
    }

    /** Parameters of a digest header: {@code key=token} or {@code key="quoted \" string"}, comma separated. */
    static Map<String, String> parseParams(String text) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ',' || Character.isWhitespace(text.charAt(i)))) {
                i++;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = text.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '"') {
                for (i++; i < n && text.charAt(i) != '"'; i++) {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(text.charAt(i));
                }
                i++;
            } else {
                for (; i < n && text.charAt(i) != ','; i++) {
                    value.append(text.charAt(i));
                }
            }
            params.put(key, value.toString().trim());
        }
        return params;
    }

    private String newNonce() {
        ByteBuffer nonce = ByteBuffer.allocate(NONCE_LENGTH);
        nonce.putLong(clock.millis());
        byte[] salt = new byte[NONCE_LENGTH - 8 - MAC_LENGTH];
        random.nextBytes(salt);
        nonce.put(salt);
        nonce.put(mac(nonce.array()), 0, MAC_LENGTH);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce.array());
    }

    /** When the nonce was issued, or -1 if this server did not issue it. */
    private long verifiedIssueTime(String nonce) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (bytes.length != NONCE_LENGTH) {
            return -1;
        }
        byte[] expected = mac(bytes);
        byte[] actual = new byte[MAC_LENGTH];
        System.arraycopy(bytes, NONCE_LENGTH - MAC_LENGTH, actual, 0, MAC_LENGTH);
        byte[] expectedPrefix = new byte[MAC_LENGTH];
        System.arraycopy(expected, 0, expectedPrefix, 0, MAC_LENGTH);
        return MessageDigest.isEqual(expectedPrefix, actual) ? ByteBuffer.wrap(bytes).getLong() : -1;
    }

    /** HMAC over the time and salt part of a nonce. */
    private byte[] mac(byte[] nonce) {
        Mac mac = macs.get();
        mac.update(nonce, 0, NONCE_LENGTH - MAC_LENGTH);
        return mac.doFinal();
    }

    /** Whether {@code count} is above those already used with {@code nonce}; now and then forgets expired nonces. */
    private boolean admitNonceCount(String nonce, long count) {
        boolean admitted = nonceCounts.computeIfAbsent(nonce, key -> new NonceCountWindow()).admit(count);
        if (untilSweep.decrementAndGet() <= 0) {
            untilSweep.set(SWEEP_EVERY);
            long now = clock.millis();
            nonceCounts.keySet().removeIf(n -> now - verifiedIssueTime(n) > lifetime.toMillis());
        }
        return admitted;
    }

    /** The outcome of checking an {@code Authorization: Digest} header. {@code stale}: right credentials, expired nonce. */
    record Verdict(String user, String problem, boolean stale) {
        static Verdict accepted(String user) {
            return new Verdict(user, null, false);
        }

        static Verdict rejected(String problem) {
            return new Verdict(null, problem, false);
        }

        static Verdict staleNonce() {
            return new Verdict(null, "nonce expired", true);
        }

        boolean accepted() {
            return user != null;
        }
    }
}
