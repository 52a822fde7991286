package io.github.atlasexport.cli;

import io.github.atlasexport.coverage.ClusterCoverage;
import io.github.atlasexport.config.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Plain-text table of export coverage for {@code jobs coverage}. */
final class CoverageTable {
    private static final String[] HEADER = {"PROJECT", "CLUSTER", "POLICY", "BUCKET", "RECOVERY POINT", "AGE",
            "UNEXPORTED", "VERDICT"};

    private CoverageTable() {
    }

    static String render(List<ClusterCoverage> clusters, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ClusterCoverage coverage : clusters) {
            boolean exported = coverage.recoveryPoint() != null;
            rows.add(new String[]{coverage.cluster().groupId(), coverage.cluster().clusterName(),
                    coverage.policy().autoExport() ? "auto-export " + coverage.policy().frequency() : "no auto-export",
                    coverage.policy().exportBucketId().isEmpty() ? "-" : coverage.policy().exportBucketId(),
                    exported ? coverage.recoveryPoint().toString() : "none exported",
                    exported ? Durations.human(Duration.between(coverage.recoveryPoint(), now)) : "-",
                    String.valueOf(coverage.unexported()), verdict(coverage)});
        }
        return JobTable.aligned(rows);
    }

    /** Judged on the recovery point alone: a one-shot read cannot know since when a cluster without one was watched. */
    private static String verdict(ClusterCoverage coverage) {
        if (coverage.deadline() == null) {
            return "-";
        }
        if (coverage.recoveryPoint() == null) {
            return "no export yet";
        }
        return coverage.overdue() ? "OVERDUE since " + coverage.deadline() : "on time until " + coverage.deadline();
    }
}
