package io.github.atlasexport.atlas;

import io.netty.handler.codec.http.HttpHeaders;

/** A complete answer: status, headers and the whole body as text (empty when there was none). */
record AtlasResponse(int status, HttpHeaders headers, String body) {

    boolean successful() {
        return status >= 200 && status < 300;
    }
}
