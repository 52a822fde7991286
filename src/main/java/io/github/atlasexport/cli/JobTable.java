package io.github.atlasexport.cli;

import io.github.atlasexport.atlas.ExportJob;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Plain-text table of export jobs for {@code jobs list}. */
final class JobTable {
    private static final String[] HEADER = {"ID", "STATE", "CREATED", "FINISHED", "PROGRESS", "SNAPSHOT", "BUCKET"};

    private JobTable() {
    }

    static String render(List<ExportJob> jobs) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ExportJob job : jobs) {
            rows.add(new String[]{job.id(), job.state(), text(job.createdAt()), text(job.finishedAt()),
                    ProgressBar.progressText(job), orDash(job.snapshotId()), orDash(job.exportBucketId())});
        }
        StringBuilder out = new StringBuilder(aligned(rows));
        out.append(jobs.size()).append(jobs.size() == 1 ? " job\n" : " jobs\n");
        return out.toString();
    }

    /** The rows in columns, each as wide as its widest cell, two spaces apart; one line a row. */
    static String aligned(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        });
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                out.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String text(Instant instant) {
        return instant == null ? "-" : instant.toString();
    }

    private static String orDash(String text) {
        return text == null ? "-" : text;
    }
}
