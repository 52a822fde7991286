package io.github.atlasexport.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A PagerDuty Events API v2 event. Firing notices trigger, resolved ones resolve; both carry the
 * same {@code dedup_key}, derived from the alert key, so PagerDuty folds them into one incident.
 */
public final class PagerDutyPayload {
    static final int SUMMARY_MAX = 1024;
    static final int DEDUP_KEY_MAX = 255;
    static final String CLIENT = "atlas-export-monitor";

    private PagerDutyPayload() {
    }

    public static ObjectNode tree(AlertNotice notice, String routingKey) {
        ObjectNode event = PayloadJson.object();
        event.put("routing_key", routingKey);
        event.put("event_action", notice.firing() ? "trigger" : "resolve");
        event.put("dedup_key", dedupKey(notice.key()));
        if (!notice.firing()) {
            return event; // a resolve event needs nothing else
        }
        event.put("client", CLIENT);
        ObjectNode payload = event.putObject("payload");
        payload.put("summary", AlertText.truncate(notice.annotations().getOrDefault("summary", notice.alertname()),
                SUMMARY_MAX));
        String group = notice.labels().get(AlertRules.GROUP_ID);
        String clusterName = notice.labels().get(AlertRules.CLUSTER_NAME);
        payload.put("source", group + "/" + clusterName);
        payload.put("severity", severity(notice.severity()));
        payload.put("timestamp", PayloadJson.time(notice.startsAt()));
        payload.put("component", clusterName);
        payload.put("group", group);
        payload.put("class", notice.alertname());
        ObjectNode details = payload.putObject("custom_details");
        details.put("description", notice.annotations().get("description"));
        details.set("labels", PayloadJson.sorted(notice.labels()));
        if (notice.job() != null) {
            details.set("job", WebhookPayload.tree(notice).get("job"));
        }
        return event;
    }

    public static byte[] render(AlertNotice notice, String routingKey) {
        return PayloadJson.bytes(tree(notice, routingKey));
    }

    /** PagerDuty knows four severities; configured ones are mapped by meaning, unknown ones to info. */
    static String severity(String configured) {
        return switch (configured == null ? "" : configured.toLowerCase(Locale.ROOT)) {
            case "critical", "page", "high" -> "critical";
            case "error", "major" -> "error";
            case "warning", "warn", "minor" -> "warning";
            default -> "info";
        };
    }

    /** The alert key when it fits PagerDuty's 255-character limit, else its SHA-256 in hex. */
    static String dedupKey(String alertKey) {
        if (alertKey.length() <= DEDUP_KEY_MAX) {
            return alertKey;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(alertKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
