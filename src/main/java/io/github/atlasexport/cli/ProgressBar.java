package io.github.atlasexport.cli;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.config.Durations;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One-line progress display of a job for {@code jobs watch}. Replica sets: a bar of exported / total
 * collections. Sharded clusters: Atlas reports no per-shard progress (only {@code components[]} ids),
 * so a running job shows a block that sweeps one step each time the job is drawn again (so a watch that
 * is alive is seen to be), and a full bar once done.
 */
final class ProgressBar {
    static final int WIDTH = 30;
    static final int SWEEP = 6;
    private static final int STEP = 3;

    private ProgressBar() {
    }

    /** {@code frame} counts the times this job was drawn before: it moves the sweep of a running sharded job. */
    static String render(ExportJob job, Instant now, long frame) {
        String line = String.format("%s %-10s %s  %s", bar(job, frame), progressText(job), job.state(), job.id());
        return running(job) ? line + "  " + Durations.human(elapsed(job, now)) + " elapsed" : line;
    }

    /** {@code 12/40 (30%)} for replica sets, {@code 3 shards} ({@code 3/3 shards} once done) for sharded clusters, else a dash. */
    static String progressText(ExportJob job) {
        ExportJob.ExportStatus status = job.exportStatus();
        if (status != null && status.totalCollections() > 0) {
            return status.exportedCollections() + "/" + status.totalCollections()
                    + " (" + 100L * status.exportedCollections() / status.totalCollections() + "%)";
        }
        if (!job.sharded()) {
            return "-";
        }
        int shards = job.components().size();
        return ExportState.SUCCESSFUL.equals(job.state()) ? shards + "/" + shards + " shards" : shards + " shards";
    }

    private static String bar(ExportJob job, long frame) {
        ExportJob.ExportStatus status = job.exportStatus();
        if (status != null && status.totalCollections() > 0) {
            return filled((int) Math.min(WIDTH, (long) WIDTH * status.exportedCollections() / status.totalCollections()));
        }
        if (job.sharded() && ExportState.SUCCESSFUL.equals(job.state())) {
            return filled(WIDTH);
        }
        if (job.sharded() && ExportState.IN_PROGRESS.equals(job.state())) {
            int span = WIDTH - SWEEP;
            int position = (int) (frame * STEP % (2L * span));
            int start = position <= span ? position : 2 * span - position;
            return "[" + ".".repeat(start) + "#".repeat(SWEEP) + ".".repeat(span - start) + "]";
        }
        return "[" + " ".repeat(WIDTH) + "]";
    }

    private static String filled(int count) {
        return "[" + "#".repeat(count) + ".".repeat(WIDTH - count) + "]";
    }

    private static boolean running(ExportJob job) {
        return job.createdAt() != null && !ExportState.isTerminal(job.state());
    }

    private static Duration elapsed(ExportJob job, Instant now) {
        if (job.createdAt() == null || now.isBefore(job.createdAt())) {
            return Duration.ZERO;
        }
        return Duration.between(job.createdAt(), now).truncatedTo(ChronoUnit.SECONDS);
    }
}
