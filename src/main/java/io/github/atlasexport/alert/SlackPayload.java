package io.github.atlasexport.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Slack incoming-webhook message in Block Kit: {@code text} is the notification fallback,
 * {@code blocks} a header, a section (description plus up to 10 two-column fields) and a context
 * line. Texts are cut to Slack's documented limits (header 150, section 3000, field 2000 characters)
 * because Slack rejects the whole message otherwise.
 */
public final class SlackPayload {
    static final int HEADER_MAX = 150;
    static final int SECTION_MAX = 3000;
    static final int FIELD_MAX = 2000;
    static final int FIELDS_MAX = 10;

    private SlackPayload() {
    }

    public static ObjectNode tree(AlertNotice notice) {
        String summary = notice.annotations().getOrDefault("summary", notice.alertname());
        String mark = notice.firing() ? ":rotating_light:" : ":white_check_mark:";
        String status = notice.firing() ? "FIRING" : "RESOLVED";

        ObjectNode body = PayloadJson.object();
        body.put("text", "[" + status + "] " + summary);
        ArrayNode blocks = body.putArray("blocks");

        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text")
                .put("text", AlertText.truncate(mark + " " + summary, HEADER_MAX)).put("emoji", true);

        ObjectNode section = blocks.addObject().put("type", "section");
        String description = notice.annotations().getOrDefault("description", summary);
        section.set("text", mrkdwn(AlertText.truncate(escape(description), SECTION_MAX)));
        ArrayNode fields = section.putArray("fields");
        fields(notice).entrySet().stream().limit(FIELDS_MAX).forEach(field -> fields.add(
                mrkdwn(AlertText.truncate("*" + field.getKey() + "*\n" + escape(field.getValue()), FIELD_MAX))));

        ObjectNode context = blocks.addObject().put("type", "context");
        String when = notice.firing() ? "firing since " + notice.startsAt() : "resolved at " + notice.endsAt();
        context.putArray("elements").add(mrkdwn(escape(notice.alertname() + " · " + when + " · id " + notice.id())));
        return body;
    }

    public static byte[] render(AlertNotice notice) {
        return PayloadJson.bytes(tree(notice));
    }

    private static Map<String, String> fields(AlertNotice notice) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Status", notice.status().wire());
        fields.put("Severity", notice.severity());
        putIfPresent(fields, "Cluster", notice.labels().get(AlertRules.CLUSTER_NAME));
        putIfPresent(fields, "Project", notice.labels().get(AlertRules.GROUP_ID));
        putIfPresent(fields, "Job", notice.labels().get(AlertRules.JOB_ID));
        if (notice.job() != null) {
            putIfPresent(fields, "State", notice.job().state());
            putIfPresent(fields, "Snapshot", notice.job().snapshotId());
            putIfPresent(fields, "Progress", AlertText.progress(notice.job()));
        } else {
            putIfPresent(fields, "State", notice.labels().get(AlertRules.STATE));
        }
        return fields;
    }

    private static void putIfPresent(Map<String, String> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    private static ObjectNode mrkdwn(String text) {
        return PayloadJson.object().put("type", "mrkdwn").put("text", text);
    }

    /** Slack's mrkdwn treats &, < and > as control characters; these three must be escaped. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
