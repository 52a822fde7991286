package io.github.atlasexport.metrics;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.TrackedJob;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.github.atlasexport.metrics.JobSeriesWriter.Family;

/**
 * A scrape as the prometheus-metrics writers alone write it: every family, the per-job ones
 * included, as library snapshots with a data point and a label set per series. The reference that
 * {@link JobSeriesWriter} is held to, and the baseline of {@code ScrapeBenchmark}.
 */
public final class LibraryExposition {
    private static final List<String> DOCUMENTED_IN_LABEL_ORDER = ExportState.DOCUMENTED.stream().sorted().toList();

    private LibraryExposition() {
    }

    /** Every family {@code metrics} would expose now. */
    public static MetricSnapshots snapshots(ExportMetrics metrics) {
        List<Map.Entry<ClusterKey, ClusterView>> clusters = metrics.gauges().sorted();
        List<MetricSnapshot> all = new ArrayList<>();
        ((PrometheusMeterRegistry) metrics.meterRegistry()).getPrometheusRegistry().scrape().forEach(all::add);
        ClusterGauges.clusterFamilies(clusters).forEach(all::add);
        all.addAll(jobFamilies(clusters));
        return new MetricSnapshots(all);
    }

    public static byte[] write(MetricSnapshots snapshots, boolean openMetrics) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (openMetrics) {
                OpenMetricsTextFormatWriter.create().write(out, snapshots);
            } else {
                PrometheusTextFormatWriter.create().write(out, snapshots);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static List<MetricSnapshot> jobFamilies(List<Map.Entry<ClusterKey, ClusterView>> clusters) {
        Map<Family, List<GaugeDataPointSnapshot>> gauges = new EnumMap<>(Family.class);
        List<InfoDataPointSnapshot> info = new ArrayList<>();
        for (Family family : Family.values()) {
            gauges.put(family, new ArrayList<>());
        }
        for (Map.Entry<ClusterKey, ClusterView> cluster : clusters) {
            Labels clusterLabels = Labels.of("group_id", cluster.getKey().groupId(), "cluster_name", cluster.getKey().clusterName());
            for (TrackedJob tracked : cluster.getValue().jobs()) {
                Labels labels = clusterLabels.add("job_id", tracked.id());
                ExportJob job = tracked.job();
                String current = ClusterView.stateLabel(job.state());
                List<String> states = new ArrayList<>(DOCUMENTED_IN_LABEL_ORDER);
                if (!states.contains(current)) {
                    states.add(current);
                }
                for (String state : states) {
                    gauges.get(Family.STATE).add(point(state.equals(current) ? 1 : 0, labels.add("state", state)));
                }
                info.add(new InfoDataPointSnapshot(labels.merge(
                        new String[]{"snapshot_id", "export_bucket_id", "sharded"},
                        new String[]{orEmpty(job.snapshotId()), orEmpty(job.exportBucketId()), String.valueOf(job.sharded())})));
                timestamp(gauges.get(Family.CREATED), job.createdAt(), labels);
                timestamp(gauges.get(Family.FINISHED), job.finishedAt(), labels);
                timestamp(gauges.get(Family.STATE_SINCE), tracked.stuckClockStart(), labels);
                if (job.exportStatus() != null) {
                    gauges.get(Family.EXPORTED).add(point(job.exportStatus().exportedCollections(), labels));
                    gauges.get(Family.COLLECTIONS).add(point(job.exportStatus().totalCollections(), labels));
                }
            }
        }
        List<MetricSnapshot> families = new ArrayList<>();
        gauges.forEach((family, points) -> {
            MetricMetadata metadata = new MetricMetadata(family.metricName(), family.help());
            families.add(family == Family.INFO ? new InfoSnapshot(metadata, info) : new GaugeSnapshot(metadata, points));
        });
        return families;
    }

    private static void timestamp(List<GaugeDataPointSnapshot> family, Instant at, Labels labels) {
        if (at != null) {
            family.add(point(at.getEpochSecond() + at.getNano() / 1e9, labels));
        }
    }

    private static GaugeDataPointSnapshot point(double value, Labels labels) {
        return new GaugeDataPointSnapshot(value, labels, null);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
