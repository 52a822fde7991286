package io.github.atlasexport.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Alertmanager's API v2 {@code postableAlerts}: an array of {labels, annotations, startsAt,
 * endsAt, generatorURL}. {@code endsAt} carries the meaning: in the future while firing, the
 * resolve time once resolved.
 */
public final class AlertmanagerPayload {

    private AlertmanagerPayload() {
    }

    public static ObjectNode alert(Map<String, String> labels, Map<String, String> annotations, Instant startsAt,
                                   Instant endsAt, URI generatorUrl) {
        ObjectNode alert = PayloadJson.object();
        alert.set("labels", PayloadJson.sorted(labels));
        alert.set("annotations", PayloadJson.sorted(annotations));
        alert.put("startsAt", PayloadJson.time(startsAt));
        alert.put("endsAt", PayloadJson.time(endsAt));
        if (generatorUrl != null) {
            alert.put("generatorURL", generatorUrl.toString());
        }
        return alert;
    }

    public static ObjectNode alert(AlertNotice notice, Instant endsAt, URI generatorUrl) {
        return alert(notice.labels(), notice.annotations(), notice.startsAt(), endsAt, generatorUrl);
    }

    /**
     * When Alertmanager should consider the alert over. Firing conditions get a short validity that
     * the sender keeps extending by re-sending (as Prometheus does), so a dead monitor's alerts
     * expire instead of firing forever. One-shot job alerts have nothing to resolve them, so they
     * clear themselves {@code oneShotTtl} after they were sent.
     */
    public static Instant endsAt(AlertNotice notice, Instant now, Duration firingValidity, Duration oneShotTtl) {
        if (!notice.firing()) {
            return notice.endsAt();
        }
        if (notice.oneShot()) {
            Instant sent = notice.startsAt().isAfter(now) ? notice.startsAt() : now;
            return sent.plus(oneShotTtl);
        }
        return now.plus(firingValidity);
    }

    public static ArrayNode array(Iterable<ObjectNode> alerts) {
        ArrayNode array = PayloadJson.MAPPER.createArrayNode();
        alerts.forEach(array::add);
        return array;
    }

    public static byte[] render(Iterable<ObjectNode> alerts) {
        return PayloadJson.bytes(array(alerts));
    }
}
