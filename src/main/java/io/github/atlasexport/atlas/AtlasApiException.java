package io.github.atlasexport.atlas;

import java.time.Duration;

/**
 * The one error type of the Atlas client. Carries what an operator needs (HTTP status, Atlas
 * errorCode and detail, the request's method and path template) and never a credential.
 */
public final class AtlasApiException extends RuntimeException {
    private final int status;
    private final String errorCode;
    private final String detail;
    private final String method;
    private final String endpoint;
    private final Duration retryAfter;

    public AtlasApiException(int status, String errorCode, String detail, String method, String endpoint,
                             Duration retryAfter, Throwable cause) {
        super(describe(status, errorCode, detail, method, endpoint), cause, false, false);
        this.status = status;
        this.errorCode = errorCode;
        this.detail = detail;
        this.method = method;
        this.endpoint = endpoint;
        this.retryAfter = retryAfter;
    }

    private static String describe(int status, String errorCode, String detail, String method, String endpoint) {
        StringBuilder text = new StringBuilder(method).append(' ').append(endpoint).append(": ");
        text.append(status == 0 ? "no response" : "HTTP " + status);
        if (errorCode != null) {
            text.append(' ').append(errorCode);
        }
        if (detail != null && !detail.isBlank()) {
            text.append(" - ").append(detail);
        }
        return text.toString();
    }

    /** HTTP status, or 0 when no response arrived (timeout, connection reset, malformed body on 2xx is 200). */
    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    public String detail() {
        return detail;
    }

    public String method() {
        return method;
    }

    public String endpoint() {
        return endpoint;
    }

    /** Server-requested wait (Retry-After header or retryAfterSecs parameter), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Worth another try: rate limits, server errors, and exchanges that got no answer. */
    public boolean transientFault() {
        return status == 0 || status == 408 || status == 429 || status >= 500;
    }
}
