package io.github.atlasexport.alert;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.monitor.ClusterKey;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The follow-up of an {@code AtlasExportJobFailed} alert once the remediation policy re-created the job:
 * a firing notice with the alert's labels, key and startsAt (so PagerDuty folds it into the same
 * incident and Alertmanager updates the same alert), its annotations with "retried as job X" added to
 * the summary and description, and a {@code retried_as} annotation. Its id is derived from the alert
 * and the retry, so it is sent once per retry, however often it is raised.
 */
public final class RetryFollowUp {

    private RetryFollowUp() {
    }

    /**
     * The follow-up notice, or empty when the original job raised no alert to follow up (failed
     * alerts off, or the job was already Failed at the monitor's first poll).
     */
    public static Optional<AlertNotice> of(AlertState rules, ClusterKey cluster, String projectName, ExportJob original,
                                           String retryJobId, MonitorConfig.Toggle failed) {
        String key = AlertName.JOB_FAILED + "/" + cluster.groupId() + "/" + cluster.clusterName() + "/" + original.id();
        if (!failed.enabled() || !rules.fired().contains(key)) {
            return Optional.empty();
        }
        Map<String, String> labels = new TreeMap<>();
        labels.put("alertname", AlertName.JOB_FAILED);
        labels.put("severity", failed.severity());
        labels.put(AlertRules.GROUP_ID, cluster.groupId());
        labels.put(AlertRules.CLUSTER_NAME, cluster.clusterName());
        labels.put(AlertRules.JOB_ID, original.id());
        Map<String, String> text = AlertText.jobEnded(new AlertText.Where(cluster, projectName), original, null);
        String retried = "retried as job " + retryJobId;
        Map<String, String> annotations = new LinkedHashMap<>(text);
        annotations.put("summary", text.get("summary") + "; " + retried);
        annotations.put("description", text.get("description") + "\nRemediation: " + retried);
        annotations.put("retried_as", retryJobId);
        // The failed alert's own startsAt when Atlas gave a finishedAt; else still from Atlas's data, so stable.
        Instant startsAt = original.finishedAt() != null ? original.finishedAt()
                : original.createdAt() != null ? original.createdAt() : Instant.EPOCH;
        String id = AlertNotice.idFor(key + "/retried-as/" + retryJobId, AlertNotice.Status.FIRING, startsAt);
        return Optional.of(new AlertNotice(id, key, AlertNotice.Status.FIRING, AlertName.JOB_FAILED, failed.severity(),
                labels, annotations, startsAt, null, original, null));
    }
}
