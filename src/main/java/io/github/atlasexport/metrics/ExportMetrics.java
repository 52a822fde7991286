package io.github.atlasexport.metrics;

import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.ExchangeListener;
import io.github.atlasexport.atlas.ExportBucket;
import io.github.atlasexport.coverage.ClusterCoverage;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.Discovery;
import io.github.atlasexport.monitor.Observation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The monitor's Prometheus metrics (SPEC section 5) and their exposition.
 *
 * <p>All {@code atlas_export_*} metrics are registered directly with prometheus-metrics on the
 * {@link PrometheusRegistry} under Micrometer's {@link PrometheusMeterRegistry}; Micrometer itself only
 * carries the JVM and process self-metrics. Two reasons. Names: Micrometer's naming convention strips
 * {@code _info} and rewrites suffixes, while prometheus-metrics renders the SPEC names exactly. Scale:
 * per-job series with dynamic label sets that must also disappear again do not fit Micrometer meters
 * (one {@code Meter} with its {@code Id}, tags and registry entries per series); see
 * {@link ClusterGauges} for how a job costs almost nothing until it is scraped, and {@link Exposition}
 * for how the scrape is written.
 *
 * <p>Thread-safe: polls of different clusters may call {@link #record} concurrently, and scrapes run
 * alongside. Nothing here blocks or does I/O (the sink queue sizes read at scrape time must not either).
 */
public final class ExportMetrics implements AutoCloseable {

    public static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    public static final String OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** promtool's lint rejects these Micrometer names (abbreviated unit; "_count" on a gauge). */
    private static final Set<String> LINT_FAILING_SELF_METRICS = Set.of("process.cpu.time", "system.cpu.count");

    private final Duration historyWindow;
    private final PrometheusMeterRegistry meterRegistry;
    private final AutoCloseable onClose;
    private final ClusterGauges gauges = new ClusterGauges();
    private final Exposition exposition;
    private final EventCounters events;
    private final ApiExchangeMetrics api;
    private final AlertDeliveryMetrics alerts;
    private final PollLoopMetrics loops;
    private final CoverageMetrics coverage;
    private final RemediationMetrics remediations;
    private volatile int lastScrapeSize = 64 * 1024;

    /**
     * Metrics on {@code registry}, exposing also whatever else is registered there. The registry
     * stays the caller's: {@link #close()} leaves it open.
     *
     * @param version       the monitor's version, for {@code atlas_export_build_info}
     * @param historyWindow terminal jobs older than this lose their per-job series
     */
    public ExportMetrics(String version, ApiVersion apiVersion, Duration historyWindow, PrometheusMeterRegistry registry) {
        this(version, apiVersion, historyWindow, registry, () -> { });
    }

    private ExportMetrics(String version, ApiVersion apiVersion, Duration historyWindow,
                          PrometheusMeterRegistry registry, AutoCloseable onClose) {
        requireNonNull(version, "version must not be null");
        requireNonNull(apiVersion, "apiVersion must not be null");
        this.historyWindow = requireNonNull(historyWindow, "historyWindow must not be null");
        this.meterRegistry = requireNonNull(registry, "registry must not be null");
        this.onClose = onClose;
        PrometheusRegistry prometheus = registry.getPrometheusRegistry();
        exposition = new Exposition(prometheus, gauges);
        events = new EventCounters(prometheus);
        api = new ApiExchangeMetrics(prometheus);
        alerts = new AlertDeliveryMetrics(prometheus);
        loops = new PollLoopMetrics(prometheus);
        coverage = new CoverageMetrics(prometheus);
        remediations = new RemediationMetrics(prometheus);
        Info.builder()
                .name("atlas_export_build_info")
                .help("Version of the monitor and the Atlas Admin API version it speaks; always 1.")
                .labelNames("version", "api_version")
                .register(prometheus)
                .setLabelValues(version, apiVersion.pathSegment());
    }

    /** Metrics on a registry of their own, with JVM and process self-metrics; {@link #close()} closes it. */
    public static ExportMetrics create(String version, ApiVersion apiVersion, Duration historyWindow) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(MeterFilter.deny(id -> LINT_FAILING_SELF_METRICS.contains(id.getName())));
        JvmGcMetrics gc = new JvmGcMetrics();
        List<MeterBinder> binders = List.of(new JvmInfoMetrics(), new JvmMemoryMetrics(), gc, new JvmThreadMetrics(),
                new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics());
        binders.forEach(b -> b.bindTo(registry));
        return new ExportMetrics(version, apiVersion, historyWindow, registry, () -> {
            gc.close();
            registry.close();
        });
    }

    /**
     * Takes in one poll outcome. Polls of one cluster must be recorded in order, one at a time (the
     * poller's natural behaviour); different clusters may be recorded concurrently.
     */
    public void record(Observation o) {
        requireNonNull(o, "observation must not be null");
        ClusterKey key = o.cluster();
        gauges.put(key, ClusterView.next(gauges.view(key), o, historyWindow));
        events.record(o);
    }

    /** Takes in one cluster discovery of a {@code "*"} target ({@code atlas_export_discovery_up}). */
    public void record(Discovery discovery) {
        loops.discovery(requireNonNull(discovery, "discovery must not be null"));
    }

    /** Takes in one cluster's coverage (recovery point, unexported snapshots, policy). */
    public void record(ClusterCoverage clusterCoverage) {
        coverage.record(requireNonNull(clusterCoverage, "coverage must not be null"));
    }

    /** Whether the last coverage read of a cluster succeeded ({@code atlas_export_coverage_up}). */
    public void coverageUp(ClusterKey cluster, boolean succeeded) {
        coverage.up(requireNonNull(cluster, "cluster must not be null"), succeeded);
    }

    /** The project's export buckets as last listed ({@code atlas_export_bucket_info}). */
    public void exportBuckets(String groupId, List<ExportBucket> buckets) {
        coverage.buckets(requireNonNull(groupId, "groupId must not be null"), List.copyOf(buckets));
    }

    /** Registers how to read the number of poll loop restarts; read at every scrape, so it must be cheap. */
    public void pollLoopRestarts(LongSupplier count) {
        loops.restarts(count);
    }

    /** Drops every series of a cluster that is no longer targeted. Call after its polling stopped. */
    public void forget(ClusterKey cluster) {
        requireNonNull(cluster, "cluster must not be null");
        gauges.remove(cluster);
        events.forget(cluster);
        coverage.forget(cluster);
        remediations.forget(cluster);
    }

    /** Counts one act of the retry policy ({@code atlas_export_remediations_total}); {@code outcome} as in SPEC section 5. */
    public void remediation(ClusterKey cluster, String outcome) {
        remediations.record(requireNonNull(cluster, "cluster must not be null"), outcome);
    }

    /** Counts Atlas HTTP exchanges ({@code atlas_export_api_requests_total}, {@code _api_rate_limited_total}). */
    public ExchangeListener exchangeListener() {
        return api;
    }

    /** A configured project: its per-project counters start at 0. */
    public void knownProject(String groupId) {
        api.knownProject(groupId);
    }

    /** A configured alert sink: its delivery counters start at 0 for each of {@code alertnames}. */
    public void knownSink(String sink, Collection<String> alertnames) {
        alerts.knownSink(sink, alertnames);
    }

    public void alertSent(String sink, String alertname) {
        alerts.sent(sink, alertname);
    }

    public void alertFailed(String sink, String alertname) {
        alerts.failed(sink, alertname);
    }

    public void alertDead(String sink) {
        alerts.dead(sink);
    }

    public void alertLoopRestarted(String sink) {
        alerts.loopRestarted(sink);
    }

    /**
     * Registers (or replaces) how to read the number of undelivered alerts of {@code sink}. Read at
     * every scrape, from the scraping thread: it must be cheap and thread-safe.
     */
    public void alertQueue(String sink, IntSupplier size) {
        alerts.queue(sink, size);
    }

    /**
     * Exposes the state store's write errors and last successful write, read at every scrape from the
     * scraping thread: both suppliers must be cheap and thread-safe.
     */
    public void stateWrites(LongSupplier writeErrors, Supplier<Instant> lastWriteSuccess) {
        StateWriteMetrics.stateWrites(meterRegistry.getPrometheusRegistry(), writeErrors, lastWriteSuccess);
    }

    /** Reads the refused HTTP basic-auth attempts at every scrape; the supplier must be cheap and thread-safe. */
    public void httpAuthFailures(LongSupplier failures) {
        CounterWithCallback.builder()
                .name("atlas_export_http_auth_failures_total")
                .help("Requests to the monitor's HTTP server refused for wrong basic-auth credentials.")
                .callback(cb -> cb.call(failures.getAsLong()))
                .register(meterRegistry.getPrometheusRegistry());
    }

    /**
     * Exposes how the last config reload went ({@code atlas_export_config_last_reload_successful} and
     * {@code _success_timestamp_seconds}), read at every scrape: both suppliers must be cheap and thread-safe.
     */
    public void configReloads(BooleanSupplier successful, Supplier<Instant> lastSuccess) {
        StateWriteMetrics.configReloads(meterRegistry.getPrometheusRegistry(), successful, lastSuccess);
    }

    /**
     * Exposes this replica's shard and the number of clusters it watches ({@code clusters} is read at
     * every scrape, from the scraping thread: cheap and thread-safe). Call once.
     */
    public void shard(int shard, int shards, IntSupplier clusters) {
        ShardMetrics.register(meterRegistry.getPrometheusRegistry(), shard, shards, clusters);
    }

    /** The views behind the gauges, for the tests that hold the exposition to the library's. */
    ClusterGauges gauges() {
        return gauges;
    }

    /** Where other parts may add their own meters; they are exposed by {@link #scrape} as well. */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /**
     * Renders every metric: OpenMetrics 1.0 when {@code acceptHeader} asks for
     * {@code application/openmetrics-text}, else Prometheus text 0.0.4 ({@code acceptHeader} may be null).
     */
    public ScrapeResult scrape(String acceptHeader) {
        // Negotiated here rather than by prometheus-metrics, which would also answer in protobuf: SPEC
        // promises the two text formats.
        boolean openMetrics = acceptHeader != null && acceptHeader.contains("application/openmetrics-text");
        // Sized from the previous scrape, so a large body is not copied over and over while it grows.
        ExpositionBuffer out = new ExpositionBuffer(lastScrapeSize + lastScrapeSize / 8);
        exposition.write(out, openMetrics);
        lastScrapeSize = out.size();
        return new ScrapeResult(openMetrics ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE, out.toByteArray());
    }

    @Override
    public void close() {
        try {
            onClose.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the metrics registry failed", e);
        }
    }
}
