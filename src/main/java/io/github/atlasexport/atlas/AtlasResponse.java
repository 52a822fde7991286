package io.github.atlasexport.atlas;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * A complete answer: status, headers and the whole body as the bytes received (empty when there was
 * none). Bytes, not text: the JSON parser reads UTF-8 itself, so a String would only be an extra copy.
 */
record AtlasResponse(int status, HttpHeaders headers, byte[] body) {

    boolean successful() {
        return status >= 200 && status < 300;
    }
}
