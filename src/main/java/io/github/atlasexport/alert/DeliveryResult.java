package io.github.atlasexport.alert;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import static java.util.Objects.requireNonNull;

/**
 * How one delivery attempt ended.
 *
 * @param status     the HTTP status, 0 when there was no answer (network error, timeout)
 * @param detail     status, reason and a short excerpt of the answer, for logs and the outbox
 * @param retryAfter the peer's {@code Retry-After}, when it gave one
 */
public record DeliveryResult(Outcome outcome, int status, String detail, Duration retryAfter) {
    static final int EXCERPT_MAX = 200;

    public enum Outcome {
        /** 2xx: done. */
        DELIVERED,
        /** Transient (network error, 408, 429, 5xx): try again later. */
        RETRY,
        /** Any other answer: retrying would get the same answer. */
        REJECTED
    }

    public DeliveryResult {
        requireNonNull(outcome, "outcome must not be null");
    }

    public static DeliveryResult delivered(int status) {
        return new DeliveryResult(Outcome.DELIVERED, status, Integer.toString(status), null);
    }

    public static DeliveryResult retry(int status, String detail, Duration retryAfter) {
        return new DeliveryResult(Outcome.RETRY, status, detail, retryAfter);
    }

    public static DeliveryResult rejected(int status, String detail) {
        return new DeliveryResult(Outcome.REJECTED, status, detail, null);
    }

    /** Classifies an HTTP answer as SPEC section 6 says: retry on 408, 429 and 5xx, give up on other 4xx. */
    public static DeliveryResult ofResponse(int status, String reason, String retryAfterHeader, String body,
                                            Instant now) {
        if (status >= 200 && status < 300) {
            return delivered(status);
        }
        String detail = status + " " + reason + excerpt(body);
        if (status == 408 || status == 429 || status >= 500) {
            return retry(status, detail, parseRetryAfter(retryAfterHeader, now));
        }
        return rejected(status, detail);
    }

    /** {@code Retry-After} is either delay-seconds or an HTTP-date (RFC 9110); anything else is ignored. */
    static Duration parseRetryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        return ": " + AlertText.truncate(body.strip().replaceAll("\\s+", " "), EXCERPT_MAX);
    }
}
