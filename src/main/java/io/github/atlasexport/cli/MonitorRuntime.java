package io.github.atlasexport.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.alert.AlertDispatcher;
import io.github.atlasexport.alert.AlertMemory;
import io.github.atlasexport.alert.AlertNotice;
import io.github.atlasexport.alert.AlertRules;
import io.github.atlasexport.alert.AlertSinks;
import io.github.atlasexport.alert.AlertState;
import io.github.atlasexport.alert.DeliveryListener;
import io.github.atlasexport.alert.DeliveryOptions;
import io.github.atlasexport.alert.RuleResult;
import io.github.atlasexport.alert.Sink;
import io.github.atlasexport.alert.SinkOptions;
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
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The monitor, wired: config -> client -> poll loops -> observations -> metrics, alerts, read model
 * and durable state -> HTTP server. The only place that knows every part.
 */
final class MonitorRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MonitorRuntime.class);
    /** How often "*" targets are asked for their clusters again. */
    static final Duration REDISCOVER_EVERY = Duration.ofMinutes(10);
    /** Job states are written at most this often while they change; new alerts are written at once. */
    static final Duration SAVE_AT_MOST_EVERY = Duration.ofSeconds(1);

    private final MonitorConfig config;
    private final Map<String, MonitorConfig.Target> targetsByGroup;
    private final StateStore store;
    private final ExportMetrics metrics;
    private final AtlasClient client;
    private final LiveTargets live = new LiveTargets();
    private final ExportMonitor monitor;
    private final AlertDispatcher dispatcher;
    private final MonitorHttpServer server;
    private final Sinks.Many<Boolean> saveRequests = Sinks.many().unicast().onBackpressureBuffer();
    /** Written only by {@link #observe} and {@link #clusterGone}, which the merged stream serialises. */
    private volatile AlertState alertState;
    private final Disposable saving;
    private final Disposable delivering;
    private final Disposable polling;

    private MonitorRuntime(MonitorConfig config, DeliveryOptions delivery) {
        this.config = config;
        targetsByGroup = config.targets().stream()
                .collect(Collectors.toMap(MonitorConfig.Target::groupId, Function.identity()));
        store = StateStore.create(config.state());
        PersistedState loaded = store.load();
        loaded.clusters().values().forEach(live::seed);
        AlertMemory memory = AlertMemory.fromJson(loaded.alerts());
        alertState = memory.state();

        metrics = ExportMetrics.create(Main.version(), config.atlas().apiVersion(), config.poll().historyWindow());
        client = AtlasClients.create(clientOptions(config.atlas()).withListener(metrics.exchangeListener()));
        monitor = new ExportMonitor(client, config.targets(), loaded.clusters(), Schedulers.parallel(),
                REDISCOVER_EVERY, () -> ThreadLocalRandom.current().nextDouble(), this::clusterGone);
        server = new MonitorHttpServer(new ObjectMapper(), live, this::scrape, () -> alertState.activeAlerts(),
                monitor::ready).start(config.server().host(), config.server().port());

        List<Sink> sinks = AlertSinks.create(config.alerts().sinks(),
                SinkOptions.create().withGeneratorUrl(URI.create(url())), () -> alertState.activeAlerts());
        dispatcher = new AlertDispatcher(sinks, memory.outbox(), delivery, deliveryListener(),
                Schedulers.parallel(), () -> ThreadLocalRandom.current().nextDouble());
        dispatcher.sinkNames().forEach(name -> metrics.alertQueue(name, () -> dispatcher.queueSize(name)));

        saving = saveRequests.asFlux()
                .sample(SAVE_AT_MOST_EVERY)
                .concatMap(request -> save())
                .subscribe();
        delivering = dispatcher.start();
        polling = monitor.observations().subscribe(this::observe,
                error -> log.error("poll loops stopped unexpectedly", error));
    }

    static MonitorRuntime start(MonitorConfig config) {
        return start(config, DeliveryOptions.create());
    }

    /** With another retry policy: tests use backoffs of milliseconds rather than the production 1s..5m. */
    static MonitorRuntime start(MonitorConfig config, DeliveryOptions delivery) {
        return new MonitorRuntime(config, delivery);
    }

    static AtlasClientOptions clientOptions(MonitorConfig.Atlas atlas) {
        return AtlasClientOptions.create(atlas.baseUrl(), atlas.auth())
                .withApiVersion(atlas.apiVersion())
                .withRequestTimeout(atlas.requestTimeout())
                .withMaxConcurrency(atlas.maxConcurrency())
                .withRequestsPerMinute(atlas.requestsPerMinute());
    }

    private void observe(Observation observation) {
        metrics.record(observation);
        live.record(observation);
        MonitorConfig.Target target = targetsByGroup.get(observation.cluster().groupId());
        RuleResult rules = AlertRules.evaluate(alertState, observation, observation.at(), config.alerts(), target.stuck());
        alertState = rules.next();
        observation.events().forEach(event -> log.info("{}", EventText.describe(event)));
        if (!observation.succeeded()) {
            log.warn("poll of {} failed: {}", observation.cluster(), observation.error().getMessage());
        }
        if (!rules.notices().isEmpty()) {
            alert(rules.notices());
        } else if (!observation.events().isEmpty()) {
            saveRequests.tryEmitNext(Boolean.TRUE);
        }
    }

    /** A notice is on disk before the first delivery attempt, so a crash cannot lose it. */
    private void alert(List<AlertNotice> notices) {
        notices.forEach(notice -> log.info("alert {} {}: {}", notice.alertname(), notice.status(),
                notice.annotations().get("summary")));
        dispatcher.enqueue(notices);
        save().subscribe();
    }

    private void clusterGone(ClusterKey key) {
        log.info("cluster {} is gone from its project; no longer polled", key);
        metrics.forget(key);
        live.forget(key);
        RuleResult rules = AlertRules.forgetCluster(alertState, key, Instant.now());
        alertState = rules.next();
        alert(rules.notices());
    }

    private DeliveryListener deliveryListener() {
        return new DeliveryListener() {
            @Override
            public void sent(String sink, String alertname) {
                metrics.alertSent(sink, alertname);
            }

            @Override
            public void failed(String sink, String alertname) {
                metrics.alertFailed(sink, alertname);
            }

            @Override
            public void queueSize(String sink, int size) {
                // read at scrape time through metrics.alertQueue
            }

            @Override
            public void outboxChanged(String sink, List<io.github.atlasexport.alert.OutboxEntry> entries) {
                saveRequests.tryEmitNext(Boolean.TRUE);
            }
        };
    }

    private Mono<Void> save() {
        return store.saveAsync(currentState())
                .onErrorResume(error -> {
                    log.warn("state not saved (will retry on the next change): {}", error.toString());
                    return Mono.empty();
                });
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
        return new PersistedState(clusters, new AlertMemory(alertState, dispatcher.pending()).toJson());
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
        delivering.dispose();
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
