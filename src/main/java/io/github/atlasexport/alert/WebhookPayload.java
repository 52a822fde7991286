package io.github.atlasexport.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.atlasexport.atlas.ExportJob;

/** The generic webhook body of SPEC section 6: one alert per POST. */
public final class WebhookPayload {
    public static final String VERSION = "1";

    private WebhookPayload() {
    }

    public static ObjectNode tree(AlertNotice notice) {
        ObjectNode body = PayloadJson.object();
        body.put("version", VERSION);
        body.put("id", notice.id());
        body.put("status", notice.status().wire());
        body.put("alertname", notice.alertname());
        body.put("severity", notice.severity());
        body.set("labels", PayloadJson.sorted(notice.labels()));
        body.set("annotations", PayloadJson.sorted(notice.annotations()));
        body.put("startsAt", PayloadJson.time(notice.startsAt()));
        body.put("endsAt", PayloadJson.time(notice.endsAt()));
        if (notice.job() == null) {
            body.putNull("job");
        } else {
            body.set("job", job(notice.job(), notice.previousState()));
        }
        return body;
    }

    public static byte[] render(AlertNotice notice) {
        return PayloadJson.bytes(tree(notice));
    }

    private static ObjectNode job(ExportJob job, String previousState) {
        ObjectNode node = PayloadJson.object();
        node.put("id", job.id());
        node.put("state", job.state());
        node.put("previousState", previousState);
        node.put("snapshotId", job.snapshotId());
        node.put("exportBucketId", job.exportBucketId());
        node.put("createdAt", PayloadJson.time(job.createdAt()));
        node.put("finishedAt", PayloadJson.time(job.finishedAt()));
        node.put("prefix", job.prefix());
        if (job.stateReason() == null) {
            node.putNull("stateReason");
        } else {
            ObjectNode reason = node.putObject("stateReason");
            reason.put("errorCode", job.stateReason().errorCode());
            reason.put("message", job.stateReason().message());
        }
        node.put("errMsg", job.errMsg());
        return node;
    }
}
