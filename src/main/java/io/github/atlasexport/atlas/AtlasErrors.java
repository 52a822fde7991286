package io.github.atlasexport.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.ReadTimeoutException;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns what went wrong in an exchange into an {@link AtlasApiException}. Only the Atlas error body,
 * the status and the request's method and template go into it: never a header we sent, nor a body
 * that might carry a token.
 */
final class AtlasErrors {
    static final String MALFORMED_RESPONSE = "MALFORMED_RESPONSE";
    static final String TIMEOUT = "TIMEOUT";
    static final String CONNECTION_FAILED = "CONNECTION_FAILED";
    static final String WAITING_FOR_RETRY_AFTER = "WAITING_FOR_RETRY_AFTER";
    static final String PAGING_STOPPED = "PAGING_STOPPED";
    static final String RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE";

    private AtlasErrors() {
    }

    /** A non-2xx answer, read as Atlas {@code {error, errorCode, detail, reason, parameters}} or OAuth {@code {error, error_description}}. */
    static AtlasApiException fromResponse(AtlasRequest request, AtlasResponse response) {
        JsonNode body = readLeniently(response.body());
        JsonNode error = body.path("error");
        String errorCode = text(body.path("errorCode"), error.isTextual() ? error.asText() : null);
        String detail = text(body.path("detail"), text(body.path("reason"), text(body.path("error_description"), null)));
        Duration retryAfter = retryAfter(response.headers(), body); // first: an HTTP-date counts from now
        String said = detail != null ? detail : meaning(response.status());
        String role = response.status() == 403 ? roleNeeded(request) : null;
        return new AtlasApiException(response.status(), errorCode, role == null ? said : said + " (" + role + ")",
                request.method(), request.endpoint(), retryAfter, null);
    }

    /** What a 403 on an export call most likely lacks: the least-privilege role the official spec asks for. */
    private static String roleNeeded(AtlasRequest request) {
        boolean exports = request.endpoint().startsWith(ReactorAtlasClient.EXPORTS);
        if (exports && "POST".equals(request.method())) {
            return "creating an export job needs the Project Backup Export Operator role on the project";
        }
        return exports ? "listing and reading export jobs needs the Project Backup Manager role on the project" : null;
    }

    /** What a bare status tells an operator when Atlas (or a proxy in front of it) sent no error body. */
    static String meaning(int status) {
        return switch (status) {
            case 401 -> "Unauthorized (no error body): check the API key or service account and the IP access list";
            case 403 -> "Forbidden (no error body): check the key's project roles and the IP access list";
            case 429 -> "Too Many Requests (no error body): Atlas's rate limit";
            default -> HttpResponseStatus.valueOf(status).reasonPhrase() + " (no error body)";
        };
    }

    /** The exchange got no (complete) answer: timeout, refused or reset connection. */
    static AtlasApiException noResponse(AtlasRequest request, Throwable cause) {
        boolean timeout = cause instanceof TimeoutException || cause instanceof ReadTimeoutException;
        String detail = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return new AtlasApiException(0, timeout ? TIMEOUT : CONNECTION_FAILED, detail, request.method(),
                request.endpoint(), null, cause);
    }

    /** Not sent: Atlas asked this project to pause (Retry-After) and {@code left} of the pause remains. */
    static AtlasApiException heldBack(AtlasRequest request, Duration left) {
        Instant until = Instant.now().plus(left).truncatedTo(ChronoUnit.SECONDS);
        return new AtlasApiException(429, WAITING_FOR_RETRY_AFTER, "not sent: Atlas asked this project to pause (Retry-After,"
                + " honoured up to " + ReactorAtlasClient.MAX_HOLD.toHours() + " h); next request after " + until,
                request.method(), request.endpoint(), left, null);
    }

    /** The body is over {@code maxBytes}: it is not read to its end (a whole body is held in memory). */
    static AtlasApiException tooLarge(AtlasRequest request, int status, long maxBytes) {
        return new AtlasApiException(status, RESPONSE_TOO_LARGE, "response body over " + (maxBytes >> 20) + " MiB (the limit): not read",
                request.method(), request.endpoint(), null, null);
    }

    /** A 2xx whose body is not what the endpoint documents. Detail is fixed text: the body is not echoed. */
    static AtlasApiException malformed(AtlasRequest request, int status, String detail, Throwable cause) {
        return new AtlasApiException(status, MALFORMED_RESPONSE, detail, request.method(), request.endpoint(), null, cause);
    }

    /**
     * Retry-After header (seconds or HTTP-date), else the wait the body names: the documented token-bucket
     * body's second positional parameter, or a {@code retryAfterSecs} field; null when none.
     */
    static Duration retryAfter(HttpHeaders headers, JsonNode body) {
        String header = headers == null ? null : headers.get(HttpHeaderNames.RETRY_AFTER);
        if (header != null && !header.isBlank()) {
            Duration fromHeader = parseRetryAfter(header.trim());
            if (fromHeader != null) {
                return fromHeader;
            }
        }
        Duration positional = tokenBucketWait(body);
        return positional != null ? positional : retryAfterSecs(body);
    }

    /**
     * Atlas documents its 429 as {@code {"errorCode":"RATE_LIMITED_TOKEN_BUCKET","parameters":["api/atlas/v2/orgs",55,10,5,60]}}:
     * endpoint, seconds to wait, capacity, refill, period. Headers may be absent then.
     */
    private static Duration tokenBucketWait(JsonNode body) {
        JsonNode parameters = body.path("parameters");
        if (!"RATE_LIMITED_TOKEN_BUCKET".equals(body.path("errorCode").asText()) || !parameters.isArray() || parameters.size() < 2) {
            return null;
        }
        return seconds(parameters.get(1));
    }

    private static Duration parseRetryAfter(String value) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException neither) {
                return null;
            }
        }
    }

    /** Atlas documents {@code parameters} as an array of objects; tolerate an object or a top-level field too. */
    private static Duration retryAfterSecs(JsonNode body) {
        JsonNode found = body.path("retryAfterSecs");
        JsonNode parameters = body.path("parameters");
        if (found.isMissingNode()) {
            found = parameters.path("retryAfterSecs");
        }
        if (found.isMissingNode() && parameters.isArray()) {
            for (JsonNode parameter : parameters) {
                if (parameter.has("retryAfterSecs")) {
                    found = parameter.get("retryAfterSecs");
                    break;
                }
            }
        }
        return seconds(found);
    }

    private static Duration seconds(JsonNode value) {
        if (value.isNumber() || (value.isTextual() && value.asText().matches("\\d+"))) {
            return Duration.ofSeconds(Math.max(0, value.asLong()));
        }
        return null;
    }

    private static JsonNode readLeniently(byte[] body) {
        if (body == null || body.length == 0) {
            return AtlasJson.MAPPER.missingNode();
        }
        try {
            JsonNode node = AtlasJson.MAPPER.readTree(body);
            return node == null ? AtlasJson.MAPPER.missingNode() : node;
        } catch (Exception notJson) { // an HTML error page from a proxy: keep the status, drop the body
            return AtlasJson.MAPPER.missingNode();
        }
    }

    private static String text(JsonNode node, String otherwise) {
        return node.isValueNode() && !node.isNull() && !node.asText().isBlank() ? node.asText() : otherwise;
    }
}
