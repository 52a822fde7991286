package io.github.atlasexport.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.monitor.TargetStatus;
import io.github.atlasexport.monitor.TrackedJob;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** The body of {@code GET /api/v1/jobs}: every tracked job, newest first within each cluster. */
final class JobsDocument {
    private JobsDocument() {
    }

    static ObjectNode render(ObjectMapper json, List<TargetStatus> targets) {
        ObjectNode root = json.createObjectNode();
        ArrayNode jobs = root.putArray("jobs");
        for (TargetStatus target : targets) {
            target.snapshot().jobs().values().stream()
                    .sorted(Comparator.comparing((TrackedJob t) -> created(t.job())).reversed())
                    .forEach(tracked -> jobs.add(job(json, target, tracked)));
        }
        return root;
    }

    private static ObjectNode job(ObjectMapper json, TargetStatus target, TrackedJob tracked) {
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
        return node;
    }

    private static Instant created(ExportJob job) {
        return job.createdAt() == null ? Instant.EPOCH : job.createdAt();
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
