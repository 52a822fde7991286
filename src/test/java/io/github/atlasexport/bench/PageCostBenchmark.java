package io.github.atlasexport.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.metrics.ExportMetrics;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.Observation;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Issue target 3, cost per job: what one 500-job page costs the monitor in steady state (parse with
 * the client's own reader, diff against the cluster's previous snapshot, record the observation in
 * the metrics) against a bare Jackson {@code readTree} of the same bytes. Target: pipeline / baseline <= 2.
 *
 * <p>Steady state: the previous poll listed the same jobs, the InProgress ones a few collections
 * behind, so each poll yields a handful of ProgressChanged events.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PageCostBenchmark {
    static final int JOBS = 500;

    private final ObjectMapper bare = new ObjectMapper();
    private byte[] page;
    private ClusterSnapshot previous;
    private Instant now;
    private ExportMetrics metrics;

    @Setup
    public void setUp() {
        metrics = new ExportMetrics("bench", ApiVersion.V2, Duration.ofDays(7), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        ClusterKey cluster = new ClusterKey(TrackedFleet.GROUP, ExportJobPages.clusterName(0));
        Instant firstPoll = ExportJobPages.NEWEST.plusSeconds(60);
        Observation first = TrackedFleet.observe(ClusterSnapshot.empty(cluster), ExportJobPages.page(TrackedFleet.GROUP, 0, JOBS, 0), firstPoll);
        metrics.record(first);
        previous = first.snapshot();
        page = ExportJobPages.page(TrackedFleet.GROUP, 0, JOBS, 1);
        now = firstPoll.plusSeconds(60);
    }

    @TearDown
    public void tearDown() {
        metrics.close();
    }

    @Benchmark
    public JsonNode baseline() throws IOException {
        return bare.readTree(page);
    }

    @Benchmark
    public Observation pipeline() {
        Observation observation = TrackedFleet.observe(previous, page, now);
        metrics.record(observation);
        return observation;
    }
}
