package io.github.atlasexport.bench;

import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.metrics.ExportMetrics;
import io.github.atlasexport.metrics.LibraryExposition;
import io.github.atlasexport.metrics.ScrapeResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Issue target 4, scrape: {@code ExportMetrics.scrape} of Prometheus text (collect and render
 * everything, as {@code /metrics} does) against the prometheus-metrics text writer alone, writing the
 * same samples as library snapshots ({@link LibraryExposition}), collected once, into a reused
 * buffer. Target: scrape / baseline <= 1.5.
 *
 * <p>100,000 per-job series: 20 clusters x 500 jobs = 10,000 jobs of {@link ExportJobPages}' mix,
 * at 10.48 per-job series each on average (5 of the state set, info, created, state-since, finished
 * once done, exported and total collections for replica sets): 104,840 series with a job_id label,
 * 105,181 in all. The setup prints the counts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ScrapeBenchmark {
    static final int CLUSTERS = 20;
    static final int JOBS_PER_CLUSTER = 500;

    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private ExportMetrics metrics;
    private MetricSnapshots snapshots;
    private ByteArrayOutputStream out;

    @Setup
    public void setUp() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics = new ExportMetrics("bench", ApiVersion.V2, TrackedFleet.HISTORY_WINDOW, registry);
        new TrackedFleet(metrics).poll(CLUSTERS, JOBS_PER_CLUSTER);
        snapshots = LibraryExposition.snapshots(metrics);
        out = new ByteArrayOutputStream(metrics.scrape(null).body().length);
        System.out.printf("%n%d per-job series of %d jobs, %d series in all%n",
                perJobSeries(snapshots), CLUSTERS * JOBS_PER_CLUSTER, allSeries(snapshots));
    }

    @TearDown
    public void tearDown() {
        metrics.close();
    }

    @Benchmark
    public ScrapeResult scrape() {
        return metrics.scrape(null);
    }

    @Benchmark
    public int baseline() throws IOException {
        out.reset();
        writer.write(out, snapshots);
        return out.size();
    }

    static long perJobSeries(MetricSnapshots snapshots) {
        return snapshots.stream().flatMap(s -> s.getDataPoints().stream())
                .filter(p -> p.getLabels().contains("job_id"))
                .count();
    }

    private static long allSeries(MetricSnapshots snapshots) {
        return snapshots.stream().mapToLong(s -> s.getDataPoints().size()).sum();
    }
}
