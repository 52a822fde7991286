package io.github.atlasexport.metrics;

import io.github.atlasexport.monitor.ClusterKey;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Renders every metric in Prometheus text or OpenMetrics: the families of the registry and the
 * per-cluster gauges through the prometheus-metrics writers, the per-job families through
 * {@link JobSeriesWriter}, each family in its place in name order, as one library writer would put
 * them. All gauges of one scrape come from the same {@link ClusterGauges#sorted()} views.
 */
final class Exposition {
    private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.UTF_8);
    private static final List<JobSeriesWriter.Family> JOB_FAMILIES = Arrays.stream(JobSeriesWriter.Family.values())
            .sorted(Comparator.comparing(JobSeriesWriter.Family::metricName))
            .toList();

    private final PrometheusRegistry registry;
    private final ClusterGauges gauges;
    private final ExpositionFormatWriter text = PrometheusTextFormatWriter.create();
    private final ExpositionFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();

    Exposition(PrometheusRegistry registry, ClusterGauges gauges) {
        this.registry = registry;
        this.gauges = gauges;
    }

    void write(ExpositionBuffer out, boolean asOpenMetrics) {
        List<Map.Entry<ClusterKey, ClusterView>> clusters = gauges.sorted();
        List<MetricSnapshot> library = new ArrayList<>();
        registry.scrape().forEach(library::add);
        ClusterGauges.clusterFamilies(clusters).forEach(library::add);
        ExpositionFormatWriter writer = asOpenMetrics ? openMetrics : text;

        List<MetricSnapshot> run = new ArrayList<>();
        int next = 0;
        for (MetricSnapshot family : new MetricSnapshots(library)) {
            String name = family.getMetadata().getPrometheusName();
            while (next < JOB_FAMILIES.size() && JOB_FAMILIES.get(next).metricName().compareTo(name) < 0) {
                writeRun(out, writer, run, asOpenMetrics);
                JOB_FAMILIES.get(next++).write(out, clusters, asOpenMetrics);
            }
            run.add(family);
        }
        writeRun(out, writer, run, asOpenMetrics);
        while (next < JOB_FAMILIES.size()) {
            JOB_FAMILIES.get(next++).write(out, clusters, asOpenMetrics);
        }
        if (asOpenMetrics) {
            out.write(EOF);
        }
    }

    /** Families in a row that the library writes; its OpenMetrics writer ends each call with an EOF, taken back here. */
    private static void writeRun(ExpositionBuffer out, ExpositionFormatWriter writer, List<MetricSnapshot> run,
                                 boolean asOpenMetrics) {
        if (run.isEmpty()) {
            return;
        }
        try {
            writer.write(out, new MetricSnapshots(run));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        if (asOpenMetrics) {
            if (!out.endsWith(EOF)) {
                throw new IllegalStateException("the OpenMetrics writer no longer ends with # EOF");
            }
            out.truncate(out.size() - EOF.length);
        }
        run.clear();
    }
}
