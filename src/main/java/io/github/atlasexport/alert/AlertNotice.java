package io.github.atlasexport.alert;

import com.fasterxml.jackson.annotation.JsonValue;
import io.github.atlasexport.atlas.ExportJob;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One message about one alert, for every sink: it fired or it resolved. Immutable and
 * self-contained so it can wait in the outbox (and the state store) until delivered.
 *
 * @param id            stable per alert and status: the same notice keeps its id across retries and restarts
 * @param key           stable per alert (not per status): identifies the alert across its firing and resolved notices
 * @param endsAt        null while firing
 * @param job           the job as last seen, for job alerts; null for cluster alerts
 * @param previousState the job's state before the change that raised the notice, when known
 */
public record AlertNotice(String id, String key, Status status, String alertname, String severity,
                          Map<String, String> labels, Map<String, String> annotations,
                          Instant startsAt, Instant endsAt, ExportJob job, String previousState) {

    public enum Status {
        FIRING, RESOLVED;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AlertNotice {
        requireNonNull(id, "id must not be null");
        requireNonNull(key, "key must not be null");
        requireNonNull(status, "status must not be null");
        requireNonNull(alertname, "alertname must not be null");
        requireNonNull(startsAt, "startsAt must not be null");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    static AlertNotice firing(String key, ActiveAlert alert, ExportJob job, String previousState) {
        return of(key, Status.FIRING, alert, null, job, previousState);
    }

    static AlertNotice resolved(String key, ActiveAlert alert, Instant endsAt, ExportJob job, String previousState) {
        return of(key, Status.RESOLVED, alert, requireNonNull(endsAt, "endsAt must not be null"), job, previousState);
    }

    private static AlertNotice of(String key, Status status, ActiveAlert alert, Instant endsAt, ExportJob job,
                                  String previousState) {
        return new AlertNotice(idFor(key, status, alert.startsAt()), key, status, alert.alertname(), alert.severity(),
                alert.labels(), alert.annotations(), alert.startsAt(), endsAt, job, previousState);
    }

    public boolean firing() {
        return status == Status.FIRING;
    }

    public boolean oneShot() {
        return AlertName.isOneShot(alertname);
    }

    /** Hex SHA-256 prefix (128 bits) of key, status and startsAt: the same inputs give the same id after a restart. */
    static String idFor(String key, Status status, Instant startsAt) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((key + "|" + status.wire() + "|" + startsAt).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
