package io.github.atlasexport.atlas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server side of MD5 digest for the scripted fake: parses what the client sent and checks it
 * with {@link DigestHash}, whose arithmetic the RFC 7616 vectors of {@code DigestHashUnitTests} pin.
 */
final class DigestVerifier {
    private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]+))");

    private DigestVerifier() {
    }

    /** The parameters of a {@code Digest ...} Authorization header; empty when it is not one. */
    static Map<String, String> params(String header) {
        Map<String, String> params = new HashMap<>();
        if (header == null || !header.startsWith("Digest ")) {
            return params;
        }
        Matcher m = PARAM.matcher(header.substring(7));
        while (m.find()) {
            params.put(m.group(1), m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3));
        }
        return params;
    }

    /** Whether {@code params} prove knowledge of {@code password} for this method and qop=auth, MD5. */
    static boolean valid(Map<String, String> params, String method, String username, String password) {
        if (!username.equals(params.get("username")) || params.get("nonce") == null || params.get("uri") == null) {
            return false;
        }
        String expected = DigestHash.response("MD5", username, params.get("realm"), password, method, params.get("uri"),
                params.get("nonce"), params.get("nc"), params.get("cnonce"), "auth");
        return expected.equals(params.get("response"));
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
