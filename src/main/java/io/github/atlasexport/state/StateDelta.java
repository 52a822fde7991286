package io.github.atlasexport.state;

import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.DepartedJob;
import io.github.atlasexport.monitor.TrackedJob;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a save must write: the rows that differ between the state last written and the next one.
 * Pure. A row counts as unchanged when it is the same object as before (the differ keeps an unchanged
 * job's {@link TrackedJob}, the alert book an unchanged cluster's state) or an equal value, so a poll
 * that changed one job of a 50-job cluster writes one job row. A job missing from the list but still
 * remembered ({@link DepartedJob}) keeps its row, marked with the time it left.
 */
record StateDelta(List<ClusterRow> clusters, List<ClusterKey> removedClusters,
                  List<JobUpsert> jobs, List<JobKey> removedJobs,
                  List<DocumentRow> documents, List<DocumentKey> removedDocuments) {

    record ClusterRow(ClusterKey key, Instant observedAt, Instant firstPolledAt) {
    }

    /** @param leftAt when the job went missing from the list (a departed job), or null while it is listed */
    record JobUpsert(ClusterKey cluster, TrackedJob job, Instant leftAt) {
    }

    record JobKey(ClusterKey cluster, String jobId) {
    }

    record DocumentRow(String kind, String key, Object value) {
    }

    record DocumentKey(String kind, String key) {
    }

    static StateDelta between(PersistedState written, PersistedState next) {
        StateDelta delta = new StateDelta(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>());
        next.clusters().forEach((key, snapshot) -> delta.addCluster(written.clusters().get(key), snapshot));
        written.clusters().keySet().forEach(key -> {
            if (!next.clusters().containsKey(key)) {
                delta.removedClusters.add(key); // its jobs go with it (the database cascades)
            }
        });
        next.documents().forEach((kind, byKey) -> {
            Map<String, Object> before = written.documents(kind);
            byKey.forEach((key, value) -> {
                if (!same(before.get(key), value)) {
                    delta.documents.add(new DocumentRow(kind, key, value));
                }
            });
        });
        written.documents().forEach((kind, byKey) -> {
            Map<String, Object> after = next.documents(kind);
            byKey.keySet().forEach(key -> {
                if (!after.containsKey(key)) {
                    delta.removedDocuments.add(new DocumentKey(kind, key));
                }
            });
        });
        return delta;
    }

    private void addCluster(ClusterSnapshot before, ClusterSnapshot after) {
        if (before == after) {
            return;
        }
        if (before == null || !Objects.equals(before.observedAt(), after.observedAt())
                || !Objects.equals(before.firstPolledAt(), after.firstPolledAt())) {
            clusters.add(new ClusterRow(after.key(), after.observedAt(), after.firstPolledAt()));
        }
        Map<String, TrackedJob> listed = before == null ? Map.of() : before.jobs();
        Map<String, DepartedJob> departed = before == null ? Map.of() : before.departed();
        after.jobs().forEach((id, job) -> {
            if (!same(listed.get(id), job)) {
                jobs.add(new JobUpsert(after.key(), job, null));
            }
        });
        after.departed().forEach((id, gone) -> {
            if (!same(departed.get(id), gone)) {
                jobs.add(new JobUpsert(after.key(), gone.job(), gone.leftAt()));
            }
        });
        for (String id : listed.keySet()) {
            if (!after.jobs().containsKey(id) && !after.departed().containsKey(id)) {
                removedJobs.add(new JobKey(after.key(), id));
            }
        }
        for (String id : departed.keySet()) {
            if (!after.jobs().containsKey(id) && !after.departed().containsKey(id)) {
                removedJobs.add(new JobKey(after.key(), id));
            }
        }
    }

    private static boolean same(Object before, Object after) {
        return before == after || (before != null && before.equals(after));
    }

    boolean isEmpty() {
        return clusters.isEmpty() && removedClusters.isEmpty() && jobs.isEmpty() && removedJobs.isEmpty()
                && documents.isEmpty() && removedDocuments.isEmpty();
    }

    /** Documents are the alerting part (notices, rule state): their writes are made durable at once. */
    boolean touchesDocuments() {
        return !documents.isEmpty() || !removedDocuments.isEmpty();
    }

    int rows() {
        return clusters.size() + removedClusters.size() + jobs.size() + removedJobs.size() + documents.size()
                + removedDocuments.size();
    }
}
