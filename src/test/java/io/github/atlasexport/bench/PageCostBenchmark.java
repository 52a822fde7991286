package io.github.atlasexport.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportJobPageParser;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.metrics.ExportMetrics;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.DiffResult;
import io.github.atlasexport.monitor.ExportJobDiffer;
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
import java.util.List;
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
    private static final String GROUP = "6560a1010000000000000000";
    private static final MonitorConfig.Stuck STUCK = new MonitorConfig.Stuck(Duration.ofHours(6), Duration.ofHours(1), "warning");

    private final ObjectMapper bare = new ObjectMapper();
    private final ClusterKey cluster = new ClusterKey(GROUP, ExportJobPages.clusterName(0));
    private byte[] page;
    private ClusterSnapshot previous;
    private Instant now;
    private ExportMetrics metrics;

    @Setup
    public void setUp() throws IOException {
        Instant firstPoll = ExportJobPages.NEWEST.plusSeconds(60);
        List<ExportJob> before = ExportJobPageParser.parse(ExportJobPages.page(GROUP, 0, JOBS, 0));
        metrics = new ExportMetrics("bench", ApiVersion.V2, Duration.ofDays(7), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        previous = poll(ClusterSnapshot.empty(cluster), before, firstPoll).snapshot();
        page = ExportJobPages.page(GROUP, 0, JOBS, 1);
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
    public DiffResult pipeline() throws IOException {
        return poll(previous, ExportJobPageParser.parse(page), now);
    }

    /** What the poller and the observation stream do with one listed page. */
    private DiffResult poll(ClusterSnapshot before, List<ExportJob> jobs, Instant at) {
        DiffResult diff = ExportJobDiffer.diff(before, jobs, at, STUCK);
        metrics.record(new Observation(cluster, at, Duration.ofMillis(80), null, diff.snapshot(), diff.events()));
        return diff;
    }
}
