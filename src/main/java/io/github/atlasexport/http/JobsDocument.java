package io.github.atlasexport.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.monitor.RetryMarker;
import io.github.atlasexport.monitor.TargetStatus;
import io.github.atlasexport.monitor.TrackedJob;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The body of {@code GET /api/v1/jobs}: every tracked job, newest first within each cluster. */
final class JobsDocument {
    private JobsDocument() {
    }

    static ObjectNode render(ObjectMapper json, List<TargetStatus> targets) {
        ObjectNode root = json.createObjectNode();
        ArrayNode jobs = root.putArray("jobs");
        for (TargetStatus target : targets) {
            Map<String, List<String>> retriedAs = RetryMarker.retriedAs(
                    target.snapshot().jobs().values().stream().map(TrackedJob::job).toList());
            target.snapshot().jobs().values().stream()
                    .sorted(Comparator.comparing((TrackedJob t) -> created(t.job())).reversed())
                    .forEach(tracked -> jobs.add(job(json, target, tracked, retriedAs)));
        }
        return root;
    }

    private static ObjectNode job(ObjectMapper json, TargetStatus target, TrackedJob tracked,
                                  Map<String, List<String>> retriedAs) {
        ExportJob job = tracked.job();
        ObjectNode node = json.createObjectNode()
                .put("group_id", target.key().groupId())
                .put("cluster_name", target.key().clusterName())
                .put("job", job.id())
                .put("state", job.state())
                .put("since", tracked.stuckClockStart().toString())
                .put("stuck", tracked.stuck())
                .put("sharded", job.sharded())
                .put("snapshot_id", job.snapshotId())
                .put("export_bucket_id", job.exportBucketId())
                .put("created_at", text(job.createdAt()))
                .put("finished_at", text(job.finishedAt()));
        if (job.exportStatus() != null) {
            node.putObject("progress")
                    .put("exported_collections", job.exportStatus().exportedCollections())
                    .put("total_collections", job.exportStatus().totalCollections());
        } else {
            node.putNull("progress");
        }
        if (job.errorMessage() != null) {
            node.put("error", job.errorMessage());
        }
        // Remediation: the job this one re-creates, and the retries made of this one (oldest first).
        RetryMarker.retryOf(job).ifPresent(original -> node.put("retry_of", original));
        List<String> retries = retriedAs.get(job.id());
        if (retries != null) {
            retries.forEach(node.putArray("retried_as")::add);
        }
        return node;
    }

    private static Instant created(ExportJob job) {
        return job.createdAt() == null ? Instant.EPOCH : job.createdAt();
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
