package io.github.atlasexport.atlas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The arithmetic of HTTP Digest (RFC 7616 section 3.4.1), in one place for both sides: the client's
 * {@link DigestAuthenticator} signs with it and the simulator verifies with it. Public only for the
 * simulator; it holds no state and knows nothing of headers.
 */
public final class DigestHash {

    private DigestHash() {
    }

    /**
     * The {@code response} value of a digest Authorization header.
     *
     * @param algorithm MD5, MD5-sess, SHA-256 or SHA-256-sess, any case; the -sess variants key HA1 on
     *                  {@code nonce} and {@code cnonce}
     * @param qop       {@code auth}, or null for the RFC 2069 form without {@code nc} and {@code cnonce}
     */
    public static String response(String algorithm, String username, String realm, String password, String method,
                                  String uri, String nonce, String nc, String cnonce, String qop) {
        String name = algorithm.toUpperCase(Locale.ROOT).startsWith("SHA-256") ? "SHA-256" : "MD5";
        String ha1 = hex(name, username + ":" + realm + ":" + password);
        if (algorithm.toLowerCase(Locale.ROOT).endsWith("-sess")) {
            ha1 = hex(name, ha1 + ":" + nonce + ":" + cnonce);
        }
        String ha2 = hex(name, method + ":" + uri);
        return qop == null
                ? hex(name, ha1 + ":" + nonce + ":" + ha2)
                : hex(name, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    private static String hex(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }
}
