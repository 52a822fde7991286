package io.github.atlasexport.simulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to answer: a status, headers and a body (UTF-8 bytes, as they go on the wire), or (a reset
 * fault) nothing at all but a closed connection, recorded with status 0.
 */
record SimResponse(int status, Map<String, String> headers, byte[] body, boolean reset) {
    private static final byte[] NO_BODY = new byte[0];

    static SimResponse json(int status, String contentType, String body) {
        return json(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static SimResponse json(int status, String contentType, byte[] body) {
        return new SimResponse(status, Map.of("Content-Type", contentType), body, false);
    }

    static SimResponse empty(int status) {
        return new SimResponse(status, Map.of(), NO_BODY, false);
    }

    static SimResponse connectionReset() {
        return new SimResponse(0, Map.of(), NO_BODY, true);
    }

    SimResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new SimResponse(status, copy, body, reset);
    }

    SimResponse withBody(byte[] newBody) {
        return new SimResponse(status, headers, newBody, reset);
    }

    /** A 401 carrying a digest challenge: what a digest client answers with a second request. */
    boolean digestChallenge() {
        String challenge = headers.get("WWW-Authenticate");
        return status == 401 && challenge != null && challenge.startsWith("Digest");
    }
}
