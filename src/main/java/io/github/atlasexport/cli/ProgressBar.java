package io.github.atlasexport.cli;

import io.github.atlasexport.atlas.ExportJob;

/** One-line progress display of a job for {@code jobs watch}: a bar of exported / total collections. */
final class ProgressBar {
    static final int WIDTH = 30;

    private ProgressBar() {
    }

    static String render(ExportJob job) {
        ExportJob.ExportStatus status = job.exportStatus();
        String bar;
        if (status != null && status.totalCollections() > 0) {
            int filled = (int) Math.min(WIDTH, (long) WIDTH * status.exportedCollections() / status.totalCollections());
            bar = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]";
        } else {
            bar = "[" + " ".repeat(WIDTH) + "]";
        }
        return String.format("%s %-10s %s  %s", bar, progressText(job), job.state(), job.id());
    }

    /** {@code 12/40 (30%)} for replica sets, {@code 3 shards} for sharded clusters, else a dash. */
    static String progressText(ExportJob job) {
        ExportJob.ExportStatus status = job.exportStatus();
        if (status != null && status.totalCollections() > 0) {
            return status.exportedCollections() + "/" + status.totalCollections()
                    + " (" + 100L * status.exportedCollections() / status.totalCollections() + "%)";
        }
        return job.sharded() ? job.components().size() + " shards" : "-";
    }
}
