package io.github.atlasexport.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportJobJson;
import io.github.atlasexport.atlas.InstantText;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.TrackedJob;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * One row of the {@code jobs} table: the columns people query with {@code sqlite3} (state and the
 * monitor's clocks, as RFC 3339 text; {@code left_at} set for a job missing from the latest list but
 * still remembered) plus the job as Atlas last listed it, as JSON. The clocks live only in the columns;
 * the body is the Atlas job alone.
 */
record JobRow(String groupId, String clusterName, String jobId, String state, String createdAt, String finishedAt,
              String firstSeen, String stateSince, String stuckClockStart, boolean stuck, String leftAt, String body) {

    JobRow {
        requireNonNull(groupId, "groupId must not be null");
        requireNonNull(clusterName, "clusterName must not be null");
        requireNonNull(jobId, "jobId must not be null");
        requireNonNull(body, "body must not be null");
    }

    static JobRow of(ClusterKey cluster, TrackedJob tracked) {
        return of(cluster, tracked, null);
    }

    /** @param leftAt when a departed job went missing from the list; null for a listed job */
    static JobRow of(ClusterKey cluster, TrackedJob tracked, Instant leftAt) {
        ExportJob job = tracked.job();
        try {
            return new JobRow(cluster.groupId(), cluster.clusterName(), job.id(), job.state(), text(job.createdAt()),
                    text(job.finishedAt()), text(tracked.firstSeen()), text(tracked.stateSince()),
                    text(tracked.stuckClockStart()), tracked.stuck(), text(leftAt), StateJson.MAPPER.writeValueAsString(job));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job " + job.id() + " of " + cluster + " cannot be written as JSON", e);
        }
    }

    /**
     * What a restart reads of a row: the columns a tracked job is made of (state, created_at and
     * finished_at repeat the body's, for people reading the table), the body as its UTF-8 bytes,
     * parsed without decoding it to a String first; the load of 500,000 jobs is mostly this.
     *
     * @param leftAt when a departed job went missing from the list, or null while it is listed
     */
    record Stored(ClusterKey cluster, String jobId, byte[] body, String firstSeen, String stateSince,
                  String stuckClockStart, boolean stuck, String leftAt) {

        /**
         * @throws IllegalArgumentException if a column cannot be read; the message names the column
         */
        TrackedJob toTrackedJob() {
            ExportJob job;
            try {
                job = ExportJobJson.read(body);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("column body: " + e.getMessage());
            }
            if (job.id() == null || !job.id().equals(jobId)) {
                throw new IllegalArgumentException("column body: its id " + job.id() + " is not the row's job_id");
            }
            return new TrackedJob(job, instant("first_seen", firstSeen), instant("state_since", stateSince),
                    instant("stuck_clock_start", stuckClockStart), stuck);
        }

        /** True for a job missing from the latest list but still remembered. */
        boolean departed() {
            return leftAt != null;
        }

        /**
         * When a departed job left the list.
         *
         * @throws IllegalArgumentException if the column cannot be read
         */
        Instant leftAtTime() {
            return instant("left_at", leftAt);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : InstantText.format(instant);
    }

    private static Instant instant(String column, String text) {
        if (text == null) {
            throw new IllegalArgumentException("column " + column + " is empty");
        }
        try {
            return ExportJobJson.instant(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("column " + column + ": \"" + text + "\" is not an RFC 3339 time");
        }
    }
}
