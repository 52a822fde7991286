package io.github.atlasexport.metrics;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.TrackedJob;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes the per-job gauge families straight from the {@link ClusterView}s to bytes, exactly as the
 * library's {@code PrometheusTextFormatWriter} and {@code OpenMetricsTextFormatWriter} would write
 * them (JobSeriesWriterUnitTests holds the two byte for byte). Why by hand: at 100,000 series,
 * building a label set, a data point and a sorted snapshot per series for the library to write cost
 * more than the writing itself, which put a scrape at twice the writer's time (ScrapeBenchmark).
 *
 * <p>The sample lines of both formats are the same for gauges and info; only the headers differ.
 * Lines come in the library's order, that of their label values: clusters by name then project,
 * jobs by id (the order {@link ClusterView} keeps them in), states by name; info by export bucket
 * before project and job, since {@code export_bucket_id} sorts before {@code group_id}.
 */
final class JobSeriesWriter {
    private static final List<String> DOCUMENTED_IN_LABEL_ORDER = ExportState.DOCUMENTED.stream().sorted().toList();
    private static final Comparator<Map.Entry<ClusterKey, TrackedJob>> INFO_ORDER = Comparator
            .comparing((Map.Entry<ClusterKey, TrackedJob> e) -> orEmpty(e.getValue().job().exportBucketId()))
            .thenComparing(e -> e.getKey().groupId())
            .thenComparing(e -> e.getValue().id());

    /** The families this class writes, in the order of their names. */
    enum Family {
        COLLECTIONS("atlas_export_job_collections",
                "Collections to export (exportStatus.totalCollections; replica sets only).") {
            @Override
            void samples(Lines lines, TrackedJob job) {
                if (job.job().exportStatus() != null) {
                    lines.sample(job, job.job().exportStatus().totalCollections());
                }
            }
        },
        CREATED("atlas_export_job_created_timestamp_seconds",
                "When Atlas created the export job (createdAt), in unix seconds.") {
            @Override
            void samples(Lines lines, TrackedJob job) {
                lines.timestamp(job, job.job().createdAt());
            }
        },
        EXPORTED("atlas_export_job_exported_collections",
                "Collections exported so far (exportStatus.exportedCollections; replica sets only).") {
            @Override
            void samples(Lines lines, TrackedJob job) {
                if (job.job().exportStatus() != null) {
                    lines.sample(job, job.job().exportStatus().exportedCollections());
                }
            }
        },
        FINISHED("atlas_export_job_finished_timestamp_seconds",
                "When the export job finished (finishedAt), in unix seconds; only once Atlas reports it.") {
            @Override
            void samples(Lines lines, TrackedJob job) {
                lines.timestamp(job, job.job().finishedAt());
            }
        },
        INFO("atlas_export_job_info", "Static facts of each tracked export job; always 1.") {
            @Override
            void lines(Lines lines, List<Map.Entry<ClusterKey, ClusterView>> clusters) {
                // Clusters of one name in different projects interleave here: gather each name's jobs.
                for (int from = 0, to; from < clusters.size(); from = to) {
                    String clusterName = clusters.get(from).getKey().clusterName();
                    List<Map.Entry<ClusterKey, TrackedJob>> jobs = new ArrayList<>();
                    for (to = from; to < clusters.size() && clusters.get(to).getKey().clusterName().equals(clusterName); to++) {
                        ClusterKey key = clusters.get(to).getKey();
                        clusters.get(to).getValue().jobs().forEach(job -> jobs.add(Map.entry(key, job)));
                    }
                    jobs.sort(INFO_ORDER);
                    jobs.forEach(job -> lines.info(job.getKey(), job.getValue()));
                }
            }
        },
        STATE("atlas_export_job_state", "State set of each tracked export job: 1 for its current state, 0 for each"
                + " other documented state (an undocumented current state gets its own series).") {
            @Override
            void samples(Lines lines, TrackedJob job) {
                String current = ClusterView.stateLabel(job.state());
                String undocumented = ExportState.DOCUMENTED.contains(current) ? null : current;
                for (String state : DOCUMENTED_IN_LABEL_ORDER) {
                    if (undocumented != null && undocumented.compareTo(state) < 0) {
                        lines.state(job, undocumented, true);
                        undocumented = null;
                    }
                    lines.state(job, state, state.equals(current));
                }
                if (undocumented != null) {
                    lines.state(job, undocumented, true);
                }
            }
        },
        STATE_SINCE("atlas_export_job_state_since_timestamp_seconds",
                "When the monitor first saw the export job in its current state (for a job first seen not yet"
                        + " ended, its createdAt), in unix seconds: the clock of the stuck check.") {
            @Override
            void samples(Lines lines, TrackedJob job) {
                lines.timestamp(job, job.stuckClockStart());
            }
        };

        private final String name;
        private final String help;
        private final byte[] sampleName;
        private final byte[] textHeader;
        private final byte[] openMetricsHeader;

        Family(String name, String help) {
            this.name = name;
            this.help = help;
            this.sampleName = bytes(name + "{cluster_name=\"");
            // The library names an info family without its _info suffix in OpenMetrics only.
            String type = name.endsWith("_info") ? "info" : "gauge";
            String openMetricsName = type.equals("info") ? name.substring(0, name.length() - "_info".length()) : name;
            this.textHeader = bytes("# HELP " + name + " " + help.replace("\\", "\\\\").replace("\n", "\\n") + "\n"
                    + "# TYPE " + name + " gauge\n");
            this.openMetricsHeader = bytes("# TYPE " + openMetricsName + " " + type + "\n"
                    + "# HELP " + openMetricsName + " " + ExpositionBuffer.escape(help) + "\n");
        }

        /** The name the library sorts families by. */
        String metricName() {
            return name;
        }

        String help() {
            return help;
        }

        /** The lines of one job (INFO, whose lines come in another order, writes them all in {@link #lines}). */
        void samples(Lines lines, TrackedJob job) {
        }

        /** Every line of the family, cluster by cluster and job by job. */
        void lines(Lines lines, List<Map.Entry<ClusterKey, ClusterView>> clusters) {
            for (Map.Entry<ClusterKey, ClusterView> cluster : clusters) {
                lines.cluster(cluster.getKey());
                for (TrackedJob job : cluster.getValue().jobs()) {
                    samples(lines, job);
                }
            }
        }

        /** Writes the family, or nothing when no job has a sample in it (as the library skips an empty family). */
        void write(ExpositionBuffer out, List<Map.Entry<ClusterKey, ClusterView>> clusters, boolean openMetrics) {
            int start = out.size();
            out.write(openMetrics ? openMetricsHeader : textHeader);
            int afterHeader = out.size();
            lines(new Lines(out, sampleName), clusters);
            if (out.size() == afterHeader) {
                out.truncate(start);
            }
        }
    }

    private JobSeriesWriter() {
    }

    /** The sample lines of one family. */
    static final class Lines {
        private static final byte[] GROUP_ID = bytes("\",group_id=\"");
        private static final byte[] JOB_ID = bytes("\",job_id=\"");
        private static final byte[] STATE = bytes("\",state=\"");
        private static final byte[] EXPORT_BUCKET_ID = bytes("\",export_bucket_id=\"");
        private static final byte[] SHARDED = bytes("\",sharded=\"");
        private static final byte[] SNAPSHOT_ID = bytes("\",snapshot_id=\"");
        private static final byte[] END_LABELS = bytes("\"} ");
        private static final byte[] ONE = bytes("1.0\n");
        private static final byte[] ZERO = bytes("0.0\n");
        private static final byte[] INFO_VALUE = bytes("\"} 1\n");

        private final ExpositionBuffer out;
        private final byte[] sampleName;
        private ClusterKey cluster;

        private Lines(ExpositionBuffer out, byte[] sampleName) {
            this.out = out;
            this.sampleName = sampleName;
        }

        void cluster(ClusterKey key) {
            cluster = key;
        }

        void sample(TrackedJob job, double value) {
            labels(job);
            out.write(END_LABELS);
            out.ascii(Double.toString(value));
            out.write('\n');
        }

        void timestamp(TrackedJob job, Instant at) {
            if (at != null) {
                sample(job, at.getEpochSecond() + at.getNano() / 1e9);
            }
        }

        void state(TrackedJob job, String state, boolean current) {
            labels(job);
            out.write(STATE);
            out.labelValue(state);
            out.write(END_LABELS);
            out.write(current ? ONE : ZERO);
        }

        void info(ClusterKey key, TrackedJob tracked) {
            ExportJob job = tracked.job();
            out.write(sampleName);
            out.labelValue(key.clusterName());
            out.write(EXPORT_BUCKET_ID);
            out.labelValue(orEmpty(job.exportBucketId()));
            out.write(GROUP_ID);
            out.labelValue(key.groupId());
            out.write(JOB_ID);
            out.labelValue(tracked.id());
            out.write(SHARDED);
            out.ascii(String.valueOf(job.sharded()));
            out.write(SNAPSHOT_ID);
            out.labelValue(orEmpty(job.snapshotId()));
            out.write(INFO_VALUE);
        }

        /** {@code name{cluster_name="…",group_id="…",job_id="…"}, without the closing quote. */
        private void labels(TrackedJob job) {
            out.write(sampleName);
            out.labelValue(cluster.clusterName());
            out.write(GROUP_ID);
            out.labelValue(cluster.groupId());
            out.write(JOB_ID);
            out.labelValue(job.id());
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.UTF_8);
    }
}
