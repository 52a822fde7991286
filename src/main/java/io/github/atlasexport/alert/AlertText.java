package io.github.atlasexport.alert;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.coverage.BucketVerdict;
import io.github.atlasexport.coverage.ClusterCoverage;
import io.github.atlasexport.coverage.ExportPolicy;
import io.github.atlasexport.monitor.ClusterKey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code summary} and {@code description} annotations: what a person on call reads first, so
 * everything needed to act is in the text (where, which job, how long, Atlas's own error, progress).
 * Each names the project ({@code name (groupId)} when discovery knows the name, else the group id) and
 * the full job id, so two different jobs never read alike.
 */
final class AlertText {
    private static final int MAX_ERROR_LENGTH = 300;

    private AlertText() {
    }

    static Map<String, String> jobEnded(Where where, ExportJob job, String previousState) {
        String verb = ExportState.CANCELLED.equals(job.state()) ? "was cancelled" : "failed";
        String summary = "Export job " + job.id() + " of " + where.cluster() + " " + verb;
        List<String> lines = jobLines(where, job, previousState);
        if (job.createdAt() != null && job.finishedAt() != null) {
            lines.add("Ran for " + human(Duration.between(job.createdAt(), job.finishedAt())));
        }
        return annotations(summary, lines);
    }

    static Map<String, String> stuck(Where where, ExportJob job, Duration inState, Duration threshold) {
        String summary = "Export job " + job.id() + " of " + where.cluster() + " stuck in "
                + job.state() + " for " + human(inState);
        List<String> lines = jobLines(where, job, null);
        lines.add("In " + job.state() + " for " + human(inState) + " (threshold " + human(threshold) + ")");
        return annotations(summary, lines);
    }

    static Map<String, String> noRecentSuccess(Where where, Instant newestSuccess, Duration after, Instant now) {
        String summary = "No successful export of " + where.cluster() + " in " + human(after);
        List<String> lines = new ArrayList<>(List.of(where.line()));
        lines.add(newestSuccess == null
                ? "No successful export job in the list since the monitor started watching"
                : "Newest successful export finished " + newestSuccess + " (" + human(Duration.between(newestSuccess, now))
                + " ago)");
        return annotations(summary, lines);
    }

    static Map<String, String> targetDown(Where where, Instant failingSince, Instant now, String error) {
        String failingFor = human(Duration.between(failingSince, now));
        String summary = "Polling export jobs of " + where.cluster() + " failing for " + failingFor;
        List<String> lines = new ArrayList<>(List.of(where.line()));
        lines.add("Every poll since " + failingSince + " failed (" + failingFor + ")");
        lines.add("Last error: " + truncate(error, MAX_ERROR_LENGTH));
        return annotations(summary, lines);
    }

    /** The cluster's own auto-export policy is not met: its newest exported snapshot is too old, or there is none. */
    static Map<String, String> overdue(Where where, ClusterCoverage coverage, Duration grace) {
        ExportPolicy policy = coverage.policy();
        String summary = "Export policy of " + where.cluster() + " missed: no " + policy.frequency()
                + " export landed in its bucket";
        List<String> lines = new ArrayList<>(List.of(where.line()));
        lines.add("Auto-export: " + policy.frequency() + " to bucket " + policy.exportBucketId()
                + " (due every " + human(policy.period()) + ", grace " + human(grace) + ")");
        lines.add(coverage.recoveryPoint() == null
                ? "No exported snapshot since the monitor began watching the policy"
                : "Newest exported snapshot " + coverage.recoverySnapshotId() + " taken " + coverage.recoveryPoint() + " ("
                + human(Duration.between(coverage.recoveryPoint(), coverage.assessedAt())) + " ago)");
        lines.add("Missed since " + coverage.deadline() + "; " + coverage.unexported()
                + " newer completed snapshots not exported");
        return annotations(summary, lines);
    }

    /** The newest exports to one bucket all failed, whatever cluster they came from. */
    static Map<String, String> bucketFailing(String project, BucketVerdict verdict, String bucketName) {
        String bucket = bucketName == null ? verdict.exportBucketId() : bucketName + " (" + verdict.exportBucketId() + ")";
        String summary = "Exports to bucket " + bucket + " of project " + project + " keep failing";
        List<String> lines = new ArrayList<>(List.of("Project: " + project, "Export bucket: " + bucket));
        lines.add("The last " + verdict.failedInARow() + " finished exports to it all Failed");
        if (verdict.lastError() != null) {
            lines.add("Last error: " + truncate(verdict.lastError(), MAX_ERROR_LENGTH));
        }
        return annotations(summary, lines);
    }

    /** The clusters of a {@code "*"} target cannot be listed: the project as a whole is unwatched. */
    static Map<String, String> discoveryDown(String groupId, Instant failingSince, Instant now, String error) {
        String failingFor = human(Duration.between(failingSince, now));
        String summary = "Discovering the clusters of project " + groupId + " failing for " + failingFor;
        List<String> lines = new ArrayList<>(List.of("Project: " + groupId + " (clusters: \"*\")"));
        lines.add("Every cluster discovery since " + failingSince + " failed (" + failingFor
                + "); clusters not yet discovered are not watched");
        lines.add("Last error: " + truncate(error, MAX_ERROR_LENGTH));
        return annotations(summary, lines);
    }

    /** Two largest units, e.g. "2d 3h", "6h", "12m 5s", "42s", "250ms": precise enough for people, short enough for Slack. */
    static String human(Duration duration) {
        if (!duration.isNegative() && duration.getSeconds() == 0 && duration.toMillis() > 0) {
            return duration.toMillis() + "ms";
        }
        long seconds = Math.max(0, duration.getSeconds());
        long[] sizes = {86_400, 3_600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length - 1; i++) {
            if (seconds >= sizes[i]) {
                long major = seconds / sizes[i];
                long minor = (seconds % sizes[i]) / sizes[i + 1];
                return major + units[i] + (minor > 0 ? " " + minor + units[i + 1] : "");
            }
        }
        return seconds + "s";
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static List<String> jobLines(Where where, ExportJob job, String previousState) {
        List<String> lines = new ArrayList<>();
        lines.add(where.line());
        lines.add("Job: " + job.id());
        lines.add(joined(", ",
                labelled("Snapshot: ", job.snapshotId()),
                labelled("export bucket: ", job.exportBucketId()),
                labelled("prefix: ", job.prefix())));
        lines.add("State: " + job.state() + (previousState == null ? "" : " (was " + previousState + ")"));
        lines.add(joined(", ",
                labelled("Created ", Objects.toString(job.createdAt(), null)),
                labelled("finished ", Objects.toString(job.finishedAt(), null))));
        String error = atlasError(job);
        if (error != null) {
            lines.add("Atlas error: " + truncate(error, MAX_ERROR_LENGTH));
        }
        String progress = progress(job);
        if (progress != null) {
            lines.add("Progress: " + progress);
        }
        lines.removeIf(String::isEmpty);
        return lines;
    }

    /** stateReason.errorCode and message (v2), or errMsg (v1.0). */
    static String atlasError(ExportJob job) {
        String code = job.stateReason() == null ? null : job.stateReason().errorCode();
        String text = joined(": ", code, job.errorMessage());
        return text.isEmpty() ? null : text;
    }

    static String progress(ExportJob job) {
        if (job.sharded()) {
            String names = job.components().stream().map(ExportJob.Component::replicaSetName)
                    .filter(Objects::nonNull).collect(Collectors.joining(", "));
            int shards = job.components().size();
            return shards + (shards == 1 ? " shard" : " shards") + (names.isEmpty() ? "" : " (" + names + ")");
        }
        ExportJob.ExportStatus status = job.exportStatus();
        return status == null ? null
                : status.exportedCollections() + " of " + status.totalCollections() + " collections exported";
    }

    /**
     * The cluster and its project as people read them.
     *
     * @param projectName the project's name if discovery knows it, else null (the group id alone)
     */
    record Where(ClusterKey key, String projectName) {
        String project() {
            return projectName == null || projectName.isBlank() ? key.groupId() : projectName + " (" + key.groupId() + ")";
        }

        /** "Cluster0 in project Shop (5f0a…)", for summaries. */
        String cluster() {
            return key.clusterName() + " in project " + project();
        }

        String line() {
            return "Cluster: " + key.clusterName() + ", project " + project();
        }
    }

    private static Map<String, String> annotations(String summary, List<String> lines) {
        return Map.of("summary", summary, "description", String.join("\n", lines));
    }

    private static String labelled(String label, String value) {
        return value == null ? null : label + value;
    }

    private static String joined(String separator, String... parts) {
        return Stream.of(parts).filter(Objects::nonNull).collect(Collectors.joining(separator));
    }
}
