package io.github.atlasexport.simulator;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.List;
import java.util.Map;

/**
 * One request as the simulator's logic sees it, detached from Netty's buffers so that logic is
 * plain synchronous code.
 *
 * @param uri     the request-target exactly as sent (digest auth signs it)
 * @param baseUrl scheme and authority for links, from the {@code Host} header
 */
record SimRequest(String method, String uri, String path, Map<String, List<String>> query, HttpHeaders headers,
                  String body, String baseUrl) {

    static SimRequest of(String method, String uri, HttpHeaders headers, String body, String fallbackBaseUrl) {
        QueryStringDecoder decoder = new QueryStringDecoder(uri);
        String host = headers.get("Host");
        String path = decoder.path().length() > 1 && decoder.path().endsWith("/")
                ? decoder.path().substring(0, decoder.path().length() - 1)
                : decoder.path();
        return new SimRequest(method, uri, path, decoder.parameters(), headers, body,
                host == null ? fallbackBaseUrl : "http://" + host);
    }

    /** First value of a query parameter, or null. */
    String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    String header(String name) {
        return headers.get(name);
    }
}
