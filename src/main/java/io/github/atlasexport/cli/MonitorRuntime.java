package io.github.atlasexport.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.AtlasClients;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.http.MetricsScraper;
import io.github.atlasexport.http.MonitorHttpServer;
import io.github.atlasexport.metrics.ExportMetrics;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.ExportMonitor;
import io.github.atlasexport.monitor.LiveTargets;
import io.github.atlasexport.monitor.Observation;
import io.github.atlasexport.monitor.TargetStatus;
import io.github.atlasexport.state.PersistedState;
import io.github.atlasexport.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The monitor, wired: config -> client -> poll loops -> observations -> metrics, read model and
 * durable state -> HTTP server. The only place that knows every part.
 */
final class MonitorRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MonitorRuntime.class);
    /** How often "*" targets are asked for their clusters again. */
    static final Duration REDISCOVER_EVERY = Duration.ofMinutes(10);
    /** State is written at most this often while jobs change; a shutdown flushes the rest. */
    static final Duration SAVE_AT_MOST_EVERY = Duration.ofSeconds(1);

    private final StateStore store;
    private final PersistedState loaded;
    private final ExportMetrics metrics;
    private final AtlasClient client;
    private final LiveTargets live = new LiveTargets();
    private final ExportMonitor monitor;
    private final MonitorHttpServer server;
    private final Sinks.Many<Boolean> saveRequests = Sinks.many().unicast().onBackpressureBuffer();
    private final Disposable saving;
    private final Disposable polling;

    private MonitorRuntime(MonitorConfig config, String listenHost, int listenPort) {
        store = StateStore.create(config.state());
        loaded = store.load();
        loaded.clusters().values().forEach(live::seed);
        metrics = ExportMetrics.create(Main.version(), config.atlas().apiVersion(), config.poll().historyWindow());
        client = AtlasClients.create(clientOptions(config.atlas()).withListener(metrics.exchangeListener()));
        monitor = new ExportMonitor(client, config.targets(), loaded.clusters(), Schedulers.parallel(),
                REDISCOVER_EVERY, () -> ThreadLocalRandom.current().nextDouble(), this::clusterGone);
        server = new MonitorHttpServer(new ObjectMapper(), live, this::scrape, List::of, monitor::ready)
                .start(listenHost, listenPort);
        saving = saveRequests.asFlux()
                .sample(SAVE_AT_MOST_EVERY)
                .concatMap(request -> store.saveAsync(currentState())
                        .onErrorResume(error -> {
                            log.warn("state not saved (will retry on the next change): {}", error.toString());
                            return reactor.core.publisher.Mono.empty();
                        }))
                .subscribe();
        polling = monitor.observations().subscribe(this::observe,
                error -> log.error("poll loops stopped unexpectedly", error));
    }

    static MonitorRuntime start(MonitorConfig config) {
        return new MonitorRuntime(config, config.server().host(), config.server().port());
    }

    static AtlasClientOptions clientOptions(MonitorConfig.Atlas atlas) {
        return AtlasClientOptions.create(atlas.baseUrl(), atlas.auth())
                .withApiVersion(atlas.apiVersion())
                .withRequestTimeout(atlas.requestTimeout())
                .withMaxConcurrency(atlas.maxConcurrency())
                .withRequestsPerMinute(atlas.requestsPerMinute());
    }

    /** Observations arrive one at a time (the merge serialises them), so this never runs concurrently. */
    private void observe(Observation observation) {
        metrics.record(observation);
        live.record(observation);
        if (!observation.events().isEmpty()) {
            observation.events().forEach(event -> log.info("{}", EventText.describe(event)));
            saveRequests.tryEmitNext(Boolean.TRUE);
        }
        if (!observation.succeeded()) {
            log.warn("poll of {} failed: {}", observation.cluster(), observation.error().getMessage());
        }
    }

    private void clusterGone(ClusterKey key) {
        log.info("cluster {} is gone from its project; no longer polled", key);
        metrics.forget(key);
        live.forget(key);
        saveRequests.tryEmitNext(Boolean.TRUE);
    }

    private MetricsScraper.Scrape scrape(String accept) {
        var result = metrics.scrape(accept);
        return new MetricsScraper.Scrape(result.contentType(), result.body());
    }

    private PersistedState currentState() {
        Map<ClusterKey, ClusterSnapshot> clusters = new LinkedHashMap<>();
        for (TargetStatus target : live.all()) {
            clusters.put(target.key(), target.snapshot());
        }
        return new PersistedState(clusters, loaded.outboxes(), loaded.firedJobAlerts());
    }

    String url() {
        return "http://" + server.host() + ":" + server.port() + "/";
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        polling.dispose();
        saving.dispose();
        try {
            store.save(currentState());
            store.close();
        } catch (RuntimeException e) {
            log.error("could not write the state file on shutdown: {}", e.toString());
        }
        server.close();
        client.close();
        metrics.close();
    }
}
