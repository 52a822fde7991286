package io.github.atlasexport.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.atlas.DigestHash;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** A plain Reactor Netty client for the simulator tests, with just enough digest to drive nonces by hand. */
final class SimHttp {
    static final String V2 = "application/vnd.atlas.2023-01-01+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client;

    SimHttp(String baseUrl) {
        this.client = HttpClient.newConnection().baseUrl(baseUrl).responseTimeout(TIMEOUT);
    }

    Resp get(String uri, Map<String, String> headers) {
        return exchange("GET", uri, headers, null);
    }

    Resp exchange(String method, String uri, Map<String, String> headers, String body) {
        HttpClient.RequestSender sender = client
                .headers(h -> headers.forEach(h::set))
                .request(io.netty.handler.codec.http.HttpMethod.valueOf(method))
                .uri(uri);
        HttpClient.ResponseReceiver<?> receiver = body == null ? sender
                : sender.send(ByteBufFlux.fromString(Mono.just(body)));
        return receiver.responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .map(text -> new Resp(response.status().code(), copy(response.responseHeaders()), text)))
                .block(TIMEOUT);
    }

    Resp bearerGet(String token, String uri, String accept) {
        return get(uri, Map.of("Authorization", "Bearer " + token, "Accept", accept));
    }

    String token(String clientId, String secret) {
        Resp resp = exchange("POST", "/api/oauth/token", Map.of(
                "Authorization", basic(clientId, secret),
                "Content-Type", "application/x-www-form-urlencoded"), "grant_type=client_credentials");
        if (resp.status() != 200) {
            throw new AssertionError("token request failed: " + resp);
        }
        return resp.json().get("access_token").asText();
    }

    static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpHeaders copy(HttpHeaders headers) {
        return new DefaultHttpHeaders().add(headers);
    }

    record Resp(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return SimJson.JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** A digest nonce obtained from a challenge, answered with an increasing nc, as a real client reuses it. */
    static final class DigestNonce {
        private final String nonce;
        private int nc;

        DigestNonce(String challenge) {
            this.nonce = DigestAuthenticator.parseParams(challenge.substring("Digest ".length())).get("nonce");
        }

        String authorization(String user, String password, String method, String uri) {
            return authorizationWithNc(user, password, method, uri, ++nc);
        }

        String authorizationWithNc(String user, String password, String method, String uri, int count) {
            String ncText = String.format("%08x", count);
            String cnonce = "c" + count;
            String response = DigestHash.response("MD5", user, DigestAuthenticator.REALM, password, method,
                    uri, nonce, ncText, cnonce, "auth");
            return "Digest username=\"" + user + "\", realm=\"" + DigestAuthenticator.REALM + "\", nonce=\"" + nonce
                    + "\", uri=\"" + uri + "\", algorithm=MD5, qop=auth, nc=" + ncText + ", cnonce=\"" + cnonce
                    + "\", response=\"" + response + "\"";
        }
    }
}
