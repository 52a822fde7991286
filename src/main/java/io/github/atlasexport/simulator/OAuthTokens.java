package io.github.atlasexport.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service-account side of the Atlas API: {@code POST /api/oauth/token} (client credentials
 * grant, client authenticated with HTTP Basic or form fields), {@code POST /api/oauth/revoke}, and
 * the check of {@code Authorization: Bearer} on API requests. Errors of the token endpoint follow
 * RFC 6749 ({@code {"error":"invalid_client"}}), as an OAuth server's do.
 */
final class OAuthTokens {
    private static final int SWEEP_ABOVE = 1024;

    private final Map<String, String> secrets;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();

    /** @param secrets client secret by client id */
    OAuthTokens(Map<String, String> secrets, Duration lifetime, Clock clock) {
        this.secrets = Map.copyOf(secrets);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    SimResponse token(SimRequest request) {
        Map<String, List<String>> form = form(request.body());
        String clientId = authenticatedClient(request, form);
        if (clientId == null) {
            return oauthError(401, "invalid_client", "Client authentication failed.");
        }
        if (!"client_credentials".equals(first(form, "grant_type"))) {
            return oauthError(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.");
        }
        if (grants.size() > SWEEP_ABOVE) {
            Instant now = clock.instant();
            grants.values().removeIf(g -> !g.expiresAt().isAfter(now));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = "sim_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        grants.put(token, new Grant(clientId, clock.instant().plus(lifetime)));
        ObjectNode body = SimJson.JSON.createObjectNode()
                .put("access_token", token)
                .put("expires_in", lifetime.toSeconds())
                .put("token_type", "Bearer");
        return SimResponse.json(200, "application/json", body.toString());
    }

    SimResponse revoke(SimRequest request) {
        Map<String, List<String>> form = form(request.body());
        if (authenticatedClient(request, form) == null) {
            return oauthError(401, "invalid_client", "Client authentication failed.");
        }
        String token = first(form, "token");
        if (token != null) {
            grants.remove(token);
        }
        return SimResponse.empty(200);
    }

    /** Null when the token is good, else why not (for the 401 detail). */
    String problemWith(String bearerToken) {
        Grant grant = grants.get(bearerToken);
        if (grant == null) {
            return "The access token is not valid or was revoked.";
        }
        if (!grant.expiresAt().isAfter(clock.instant())) {
            return "The access token has expired.";
        }
        return null;
    }

    /** The service account a good token was issued to; null for any other token. */
    String clientOf(String bearerToken) {
        return problemWith(bearerToken) == null ? grants.get(bearerToken).clientId() : null;
    }

    private String authenticatedClient(SimRequest request, Map<String, List<String>> form) {
        String clientId = first(form, "client_id");
        String secret = first(form, "client_secret");
        String authorization = request.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            clientId = decoded.substring(0, colon);
            secret = decoded.substring(colon + 1);
        }
        String expected = clientId == null ? null : secrets.get(clientId);
        if (expected == null || secret == null || !MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return clientId;
    }

    private static Map<String, List<String>> form(String body) {
        return new QueryStringDecoder(body == null ? "" : body, StandardCharsets.UTF_8, false).parameters();
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static SimResponse oauthError(int status, String error, String description) {
        ObjectNode body = SimJson.JSON.createObjectNode().put("error", error).put("error_description", description);
        return SimResponse.json(status, "application/json", body.toString());
    }

    private record Grant(String clientId, Instant expiresAt) {
    }
}
