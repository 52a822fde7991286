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
        /** Any other answer or none (network error, timeout): try again later, for a while. */
        RETRY,
        /** 410 Gone: the receiver says it is gone for good; straight to the dead letters. */
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

    /**
     * Classifies an HTTP answer: 2xx is done, 410 is dead at once, anything else is retried (for
     * {@link DeliveryOptions#maxAge()}): a misrouted 404 or a 400 during a receiver's deploy is
     * often fixed within the hour, and SPEC promises no alert is lost. Redirects are the poster's.
     */
    public static DeliveryResult ofResponse(int status, String reason, String retryAfterHeader, String body,
                                            Instant now) {
        if (status >= 200 && status < 300) {
            return delivered(status);
        }
        String detail = status + " " + reason + excerpt(body);
        if (status == 410) {
            return rejected(status, detail);
        }
        return retry(status, detail, parseRetryAfter(retryAfterHeader, now));
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
