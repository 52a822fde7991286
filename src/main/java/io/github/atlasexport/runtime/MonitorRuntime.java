package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.alert.AlertBook;
import io.github.atlasexport.alert.AlertDispatcher;
import io.github.atlasexport.alert.AlertMemory;
import io.github.atlasexport.alert.AlertName;
import io.github.atlasexport.alert.AlertNotice;
import io.github.atlasexport.alert.AlertRules;
import io.github.atlasexport.alert.AlertSinks;
import io.github.atlasexport.alert.AlertState;
import io.github.atlasexport.alert.DeadLetter;
import io.github.atlasexport.alert.DeliveryListener;
import io.github.atlasexport.alert.DeliveryOptions;
import io.github.atlasexport.alert.OutboxEntry;
import io.github.atlasexport.alert.RetryFollowUp;
import io.github.atlasexport.alert.Sink;
import io.github.atlasexport.alert.SinkOptions;
import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.AtlasClients;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.RetryPolicy;
import io.github.atlasexport.config.ConfigException;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.config.WebConfig;
import io.github.atlasexport.config.WebConfigLoader;
import io.github.atlasexport.coverage.ClusterCoverage;
import io.github.atlasexport.coverage.CoverageBoard;
import io.github.atlasexport.coverage.CoverageLoop;
import io.github.atlasexport.coverage.CoverageReport;
import io.github.atlasexport.http.DeadLetterDesk;
import io.github.atlasexport.http.MetricsScraper;
import io.github.atlasexport.http.Lifecycle;
import io.github.atlasexport.http.MonitorHttpServer;
import io.github.atlasexport.http.ServerLimits;
import io.github.atlasexport.metrics.ExportMetrics;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterShards;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.Discovery;
import io.github.atlasexport.monitor.ExportMonitor;
import io.github.atlasexport.monitor.LiveTargets;
import io.github.atlasexport.monitor.Observation;
import io.github.atlasexport.monitor.TargetStatus;
import io.github.atlasexport.remediation.RemediationOutcome;
import io.github.atlasexport.remediation.Remediator;
import io.github.atlasexport.state.PersistedState;
import io.github.atlasexport.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The monitor, wired: config -> client -> poll loops -> observations -> metrics, alerts, read model
 * and durable state -> HTTP server. The only place that knows every part.
 */
public final class MonitorRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MonitorRuntime.class);
    /** How often "*" targets are asked for their clusters again. */
    static final Duration REDISCOVER_EVERY = Duration.ofMinutes(10);
    /**
     * Polls run at once per request slot of the client: enough that a request is always ready when a
     * slot frees (a poll also reads and diffs), few enough that a poll is subscribed only just before
     * its request goes out (see {@link ExportMonitor}).
     */
    static final int POLLS_PER_REQUEST_SLOT = 2;
    /**
     * Job states are written at most this often while they change; new alerts are written at once.
     * Either waits while the state writer rests after a long save (see {@link StateStore#REST_FACTOR}).
     */
    static final Duration SAVE_AT_MOST_EVERY = Duration.ofSeconds(1);
    static final Duration SHUTDOWN_SAVE_TIMEOUT = Duration.ofSeconds(10);
    /** The first coverage round waits for the first polls, but not a whole coverage interval. */
    static final Duration FIRST_COVERAGE_AT_MOST = Duration.ofSeconds(30);

    private final MonitorConfig config;
    private final Map<String, MonitorConfig.Target> targetsByGroup;
    private final StateStore store;
    private final ExportMetrics metrics;
    private final AtlasClient client;
    private final LiveTargets live = new LiveTargets();
    private final PollLog pollLog = new PollLog();
    private final ExportMonitor monitor;
    private final AlertDispatcher dispatcher;
    private final Remediator remediator;
    private final MonitorHttpServer server;
    /**
     * Set when the state changed and is not saved yet. A flag rather than a Reactor {@code Sinks.Many}:
     * changes are signalled by the poll stream and by every alert sink's delivery loop at once.
     */
    private final AtomicBoolean unsaved = new AtomicBoolean();
    /**
     * Held while the job snapshots, the rule state and the outboxes move together (an observation or a
     * cluster leaving) and while {@link #currentState} reads them: {@link #clusterGone} runs on the
     * discovery stream, concurrently with {@link #observe}, and a save must never see a job's new
     * state without the alert it raised, or a crash right after that write would lose the alert.
     */
    private final Object alerting = new Object();
    /** Updated under {@link #alerting}; read without it by HTTP and the Alertmanager keep-alive. */
    private final AlertBook alerts;
    private final Disposable saving;
    private final Disposable delivering;
    private final Disposable polling;
    private final Disposable naming;
    private final CoverageBoard coverage = new CoverageBoard();
    private final Disposable covering;
    /** Set when the observation stream ended, which it never should: no loop runs any more. */
    private final AtomicBoolean pollingEnded = new AtomicBoolean();
    /** How the config is reloaded (SIGHUP, {@code POST /-/reload}) and how the last reload went. */
    private final Reloads reloads;

    private MonitorRuntime(MonitorConfig config, RetryPolicy retries, DeliveryOptions delivery, Reloads reloads) {
        this.config = config;
        this.reloads = reloads;
        WebConfig web = webConfig(config.server()); // a bad one stops the start before the state is opened
        targetsByGroup = config.targets().stream()
                .collect(Collectors.toMap(MonitorConfig.Target::groupId, Function.identity()));
        store = StateStore.create(config.state());
        PersistedState loaded = store.load();
        Map<ClusterKey, ClusterSnapshot> restored = new LinkedHashMap<>();
        loaded.clusters().forEach((key, snapshot) -> {
            if (configured(key)) {
                restored.put(key, snapshot);
            }
        });
        restored.values().forEach(live::seed);
        AlertMemory memory = AlertDocuments.read(loaded, store);
        alerts = AlertBook.of(memory.state());
        List<AlertNotice> unconfigured = forgetUnconfigured(loaded.clusters().keySet());

        metrics = ExportMetrics.create(BuildInfo.version(), config.atlas().apiVersion(), config.poll().historyWindow());
        metrics.stateWrites(store::writeErrors, store::lastWriteSuccess);
        metrics.configReloads(reloads::lastSuccessful, reloads::lastSuccess);
        targetsByGroup.keySet().forEach(metrics::knownProject);
        MonitorConfig.Sharding sharding = config.sharding();
        metrics.shard(sharding.shard(), sharding.shards(), () -> live.all().size());
        client = AtlasClients.create(clientOptions(config.atlas())
                .withRequestsPerMinute(sharding.requestsPerMinute(config.atlas().requestsPerMinute()))
                .withRetryPolicy(retries)
                .withListener(metrics.exchangeListener()));
        monitor = new ExportMonitor(client, config.targets(), restored, Schedulers.parallel(),
                REDISCOVER_EVERY, () -> ThreadLocalRandom.current().nextDouble(), this::clusterGone, this::discovered,
                key -> ClusterShards.owns(sharding, key), POLLS_PER_REQUEST_SLOT * config.atlas().maxConcurrency());
        metrics.pollLoopRestarts(monitor::loopRestarts);
        server = startServer(config.server(), web);
        metrics.httpAuthFailures(server::authFailures);

        MonitorConfig.Delivery deliveryConfig = config.alerts().delivery();
        List<Sink> sinks = AlertSinks.create(config.alerts().sinks(), SinkOptions.create()
                .withGeneratorUrl(URI.create(url()))
                .withResponseTimeout(deliveryConfig.timeout()), alerts::activeAlerts);
        dispatcher = new AlertDispatcher(sinks, memory.outbox(), memory.dead(),
                delivery.withMaxAge(deliveryConfig.maxAge()).withAttemptTimeout(deliveryConfig.timeout()),
                deliveryListener(), Schedulers.parallel(), () -> ThreadLocalRandom.current().nextDouble());
        dispatcher.sinkNames().forEach(name -> {
            metrics.alertQueue(name, () -> dispatcher.queueSize(name));
            metrics.knownSink(name, AlertName.ALL);
        });
        // Its intents are committed through the same store before each POST (never through save():
        // that one swallows a failed write, and an intent not written must not be acted on).
        remediator = new Remediator(client, () -> store.saveAsync(this::currentState), remediationListener(),
                config.atlas().requestTimeout(), RemediationDocuments.read(loaded, store));

        saving = Flux.interval(SAVE_AT_MOST_EVERY, SAVE_AT_MOST_EVERY)
                .onBackpressureDrop()
                .filter(tick -> unsaved.getAndSet(false))
                .concatMap(tick -> save(), 1)
                .subscribe();
        dispatcher.stage(unconfigured);
        if (restored.size() < loaded.clusters().size() || !unconfigured.isEmpty()) {
            alert(unconfigured);
        }
        delivering = dispatcher.start();
        covering = startCoverage();
        Sinks.Empty<Void> firstNames = Sinks.empty();
        naming = nameProjects(firstNames);
        // The first polls wait for the first project listing (one request timeout at most), so the
        // alerts they raise, often the stuck jobs found at start, name their projects.
        polling = firstNames.asMono()
                .timeout(config.atlas().requestTimeout(), Mono.empty())
                .thenMany(monitor.observations())
                .subscribe(this::observeSafely, error -> {
                    pollingEnded.set(true);
                    log.error("poll loops stopped unexpectedly; /-/healthy now answers 503", error);
                }, () -> {
                    pollingEnded.set(true);
                    log.error("poll loops ended unexpectedly; /-/healthy now answers 503");
                });
    }

    /**
     * Project names are for people only (alert text, the status page), so they are listed beside the
     * polls, as often as clusters are rediscovered; until a listing succeeds, projects go by group id.
     * {@code firstDone} completes when the first listing has ended, either way.
     */
    private Disposable nameProjects(Sinks.Empty<Void> firstDone) {
        return Flux.interval(Duration.ZERO, REDISCOVER_EVERY)
                .onBackpressureDrop()
                .concatMap(tick -> client.listProjects().collectList()
                        .timeout(REDISCOVER_EVERY)
                        .doOnNext(live::nameProjects)
                        .onErrorResume(error -> {
                            log.info("could not list projects for their names; alerts name them by group id: {}",
                                    error.toString());
                            return Mono.empty();
                        })
                        .doFinally(signal -> firstDone.tryEmitEmpty()), 1)
                .subscribe();
    }

    /**
     * The web config named by {@code server.webConfigFile}, if any: a bad file, certificate or key is a
     * config problem ({@link ConfigException} naming the file), found before anything is polled.
     */
    private static WebConfig webConfig(MonitorConfig.Server listen) {
        return listen.webConfigFile() == null ? WebConfig.NONE : WebConfigLoader.load(listen.webConfigFile());
    }

    private MonitorHttpServer startServer(MonitorConfig.Server listen, WebConfig web) {
        Path file = listen.webConfigFile();
        MonitorHttpServer http = new MonitorHttpServer(new ObjectMapper(), live, this::scrape, alerts::activeAlerts,
                monitor::ready, this::healthy, deadLetterDesk(), coverage::clusters);
        if (reloads.lifecycleEnabled()) {
            http.withLifecycle(new Lifecycle() {
                @Override
                public List<String> check() {
                    return reloads.check();
                }

                @Override
                public void apply() {
                    reloads.reload();
                }
            });
        }
        try {
            return http.start(listen.host(), listen.port(), ServerLimits.defaults(), web);
        } catch (UncheckedIOException e) {
            http.close();
            throw new ConfigException(file.toString(), List.of(file + ": tls_server_config: cert_file and key_file "
                    + "cannot be used (PEM certificate and PKCS#8 key expected): " + e.getCause().getMessage()));
        }
    }

    /**
     * Coverage rounds beside the poll loops, on the same client (same budget and in-flight limit), at
     * most one coverage request in flight per project: the first after one poll interval or so, when the
     * polls have listed the jobs.
     */
    private Disposable startCoverage() {
        MonitorConfig.Coverage settings = config.coverage();
        if (!settings.enabled()) {
            return Flux.never().subscribe();
        }
        Duration firstDelay = settings.interval().compareTo(FIRST_COVERAGE_AT_MOST) < 0 ? settings.interval()
                : FIRST_COVERAGE_AT_MOST;
        CoverageLoop loop = new CoverageLoop(client, new CoverageLoop.Options(settings.interval(), firstDelay,
                settings.interval().plus(config.atlas().requestTimeout()), config.alerts().overdue().grace(),
                config.alerts().bucketFailing().after()),
                () -> live.all().stream().map(TargetStatus::snapshot).toList(), Schedulers.parallel());
        return loop.reports(targetsByGroup.keySet()).subscribe(this::coveredSafely,
                error -> log.error("coverage rounds stopped unexpectedly", error));
    }

    /** A bug in handling one round must not end the coverage of every project. */
    private void coveredSafely(CoverageReport report) {
        try {
            covered(report);
        } catch (RuntimeException e) {
            log.error("could not handle the coverage of project {}; coverage goes on", report.groupId(), e);
        }
    }

    private void covered(CoverageReport report) {
        report.failed().forEach(cluster -> metrics.coverageUp(cluster, false));
        report.covered().forEach(cluster -> {
            metrics.record(cluster);
            metrics.coverageUp(cluster.cluster(), true);
        });
        if (report.buckets() != null) {
            metrics.exportBuckets(report.groupId(), report.buckets());
        }
        coverage.record(report);
        Map<String, String> bucketNames = new LinkedHashMap<>();
        coverage.buckets(report.groupId()).forEach((id, bucket) -> bucketNames.put(id, bucket.bucketName()));
        String project = live.projectName(report.groupId());
        List<AlertNotice> notices = new ArrayList<>();
        boolean changed = false;
        synchronized (alerting) {
            for (ClusterCoverage cluster : report.covered()) {
                AlertBook.Change change = alerts.evaluate(cluster, report.at(), config.alerts().overdue(), project);
                notices.addAll(change.notices());
                changed |= change.changed();
            }
            AlertBook.Change buckets = alerts.evaluateBuckets(report.groupId(), report.verdicts(), bucketNames,
                    report.at(), config.alerts().bucketFailing(), project);
            notices.addAll(buckets.notices());
            changed |= buckets.changed();
            dispatcher.stage(notices);
        }
        if (!notices.isEmpty()) {
            alert(notices);
        } else if (changed) {
            requestSave();
        }
    }

    /** Polling goes on: the loops run and tick (a poll or a discovery, whatever Atlas answered). */
    private boolean healthy() {
        return !pollingEnded.get() && monitor.polling();
    }

    /**
     * True if a target names the cluster, or discovers its project's clusters, and it is of this
     * replica's shard. Every shard discovers a {@code "*"} project, so each keeps its discovery alerts.
     */
    private boolean configured(ClusterKey key) {
        MonitorConfig.Target target = targetsByGroup.get(key.groupId());
        return target != null && (target.discoverAll() || target.clusters().contains(key.clusterName()))
                && (key.equals(AlertRules.discoveryKey(key.groupId())) || ClusterShards.owns(config.sharding(), key));
    }

    /**
     * Clusters the state store knows but the config no longer names are not polled again, so nothing
     * else would ever resolve what they had firing: the Alertmanager keep-alive would re-send it
     * forever. Resolve it now and forget them (a gone cluster of a "*" target is the monitor's to report).
     */
    private List<AlertNotice> forgetUnconfigured(Set<ClusterKey> saved) {
        Set<ClusterKey> known = new TreeSet<>(saved);
        known.addAll(alerts.clusters());
        Instant now = Instant.now();
        List<AlertNotice> notices = new ArrayList<>();
        for (ClusterKey key : known) {
            if (!configured(key)) {
                log.info("cluster {} is no longer in the config or this replica's shard ({}); forgetting its jobs"
                        + " and resolving its alerts", key, config.sharding());
                notices.addAll(alerts.forget(key, now).notices());
            }
        }
        return notices;
    }

    public static MonitorRuntime start(MonitorConfig config) {
        return start(config, RetryPolicy.defaults(), DeliveryOptions.create());
    }

    /**
     * With other retry policies, for tests: the default Atlas retries take about 20 s to give up on a
     * cluster that answers 5xx, and the default alert backoff runs from 1 s to 5 min.
     */
    public static MonitorRuntime start(MonitorConfig config, RetryPolicy retries, DeliveryOptions delivery) {
        return new MonitorRuntime(config, retries, delivery, Reloads.NONE);
    }

    /** As {@code run} starts it: reloaded by {@code reloads} (see {@link ReloadingMonitor}). */
    static MonitorRuntime start(MonitorConfig config, Reloads reloads) {
        return new MonitorRuntime(config, RetryPolicy.defaults(), DeliveryOptions.create(), reloads);
    }

    /** The config this monitor runs on. */
    public MonitorConfig config() {
        return config;
    }

    public static MonitorRuntime start(MonitorConfig config, RetryPolicy retries) {
        return start(config, retries, DeliveryOptions.create());
    }

    public static MonitorRuntime start(MonitorConfig config, DeliveryOptions delivery) {
        return start(config, RetryPolicy.defaults(), delivery);
    }

    public static AtlasClientOptions clientOptions(MonitorConfig.Atlas atlas) {
        return AtlasClientOptions.create(atlas.baseUrl(), atlas.auth())
                .withApiVersion(atlas.apiVersion())
                .withRequestTimeout(atlas.requestTimeout())
                .withMaxConcurrency(atlas.maxConcurrency())
                .withRequestsPerMinute(atlas.requestsPerMinute());
    }

    /** A bug in handling one observation must not end the subscription, and with it every poll loop. */
    private void observeSafely(Observation observation) {
        try {
            observe(observation);
        } catch (RuntimeException e) {
            log.error("could not handle the poll of {}; polling goes on", observation.cluster(), e);
        }
    }

    private void observe(Observation observation) {
        metrics.record(observation);
        MonitorConfig.Target target = targetsByGroup.get(observation.cluster().groupId());
        AlertBook.Change rules;
        synchronized (alerting) {
            live.record(observation);
            rules = alerts.evaluate(observation, observation.at(), config.alerts(), target.stuck(),
                    live.projectName(observation.cluster().groupId()));
            dispatcher.stage(rules.notices());
        }
        logAll(pollLog.lines(observation, live.projectName(observation.cluster().groupId())));
        if (observation.succeeded()) {
            remediator.consider(observation.snapshot(), target.remediation().retryFailed()).subscribe();
        }
        if (!rules.notices().isEmpty()) {
            alert(rules.notices());
        } else if (!observation.events().isEmpty() || rules.changed()) {
            // The rules' clocks too (first poll, failing since): else a restart would restart them.
            requestSave();
        }
    }

    private static void logAll(List<PollLog.Line> lines) {
        lines.forEach(line -> log.atLevel(line.level()).log(line.text()));
    }

    /**
     * Notices staged are written at once rather than on the next sampled save, and only once that
     * write has landed do they go out: a crash before it means the change, and its alert, are seen
     * again after the restart, and a notice already sent would then be sent twice. (The state is
     * taken after this call, so the write holds them. Should it fail, they go all the same: at least
     * once matters more, and their ids are derived from Atlas's data, so a repeat has the same id.)
     */
    private void alert(List<AlertNotice> notices) {
        notices.forEach(notice -> log.info("alert {} {}: {}", notice.alertname(), notice.status(),
                notice.annotations().get("summary")));
        save().doFinally(signal -> dispatcher.committed(notices)).subscribe();
    }

    /** A discovery of a {@code "*"} target: its metric, status and the project's TargetDown alert. */
    private void discovered(Discovery discovery) {
        metrics.record(discovery);
        logAll(pollLog.lines(discovery, live.projectName(discovery.groupId())));
        AlertBook.Change rules;
        synchronized (alerting) {
            live.record(discovery);
            rules = alerts.evaluate(discovery, discovery.at(), config.alerts().targetDown());
            dispatcher.enqueue(rules.notices());
        }
        if (!rules.notices().isEmpty()) {
            alert(rules.notices());
        } else if (rules.changed()) {
            requestSave();
        }
    }

    private void clusterGone(ClusterKey key) {
        log.info("cluster {} is gone from its project; no longer polled", key);
        pollLog.forget(key);
        metrics.forget(key);
        coverage.forget(key);
        remediator.forget(key);
        AlertBook.Change rules;
        synchronized (alerting) {
            live.forget(key);
            rules = alerts.forget(key, Instant.now());
            dispatcher.stage(rules.notices());
        }
        alert(rules.notices()); // saves even without notices: the file must forget the cluster too
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
            public void dead(String sink, String alertname) {
                metrics.alertDead(sink);
            }

            @Override
            public void loopRestarted(String sink) {
                metrics.alertLoopRestarted(sink);
            }

            @Override
            public void queueSize(String sink, int size) {
                // read at scrape time through metrics.alertQueue
            }

            @Override
            public void outboxChanged(String sink, List<OutboxEntry> entries) {
                requestSave();
            }
        };
    }

    /** Counts what the retry policy did; a retry made adds a follow-up to the original job's alert. */
    private Remediator.Listener remediationListener() {
        return new Remediator.Listener() {
            @Override
            public void outcome(ClusterKey cluster, RemediationOutcome outcome) {
                metrics.remediation(cluster, outcome.label());
            }

            @Override
            public void retried(ClusterKey cluster, ExportJob original, String retryJobId) {
                Optional<AlertNotice> followUp;
                synchronized (alerting) {
                    followUp = RetryFollowUp.of(alerts.stateOf(cluster), cluster,
                            live.projectName(cluster.groupId()), original, retryJobId, config.alerts().failed());
                    followUp.ifPresent(notice -> dispatcher.stage(List.of(notice)));
                }
                followUp.ifPresentOrElse(notice -> alert(List.of(notice)), MonitorRuntime.this::requestSave);
            }

            @Override
            public void intentsChanged() {
                requestSave();
            }
        };
    }

    /** The HTTP server is up before the dispatcher (whose sinks need its URL): until then there are none. */
    private DeadLetterDesk deadLetterDesk() {
        return new DeadLetterDesk() {
            @Override
            public List<DeadLetter> list() {
                return dispatcher == null ? List.of() : dispatcher.deadLetters();
            }

            @Override
            public int resend(String id) {
                return dispatcher == null ? 0 : dispatcher.resend(id).size();
            }
        };
    }

    /** Asks for a save on the next tick of the saving loop. */
    private void requestSave() {
        unsaved.set(true);
    }

    /** The state is taken when the write begins, on the writer thread: a burst of saves costs one snapshot. */
    private Mono<Void> save() {
        return store.saveAsync(this::currentState)
                .onErrorResume(error -> {
                    log.warn("state not saved (will retry on the next change): {}", error.toString());
                    return Mono.empty();
                });
    }

    private MetricsScraper.Scrape scrape(String accept) {
        var result = metrics.scrape(accept);
        return new MetricsScraper.Scrape(result.contentType(), result.body());
    }

    /**
     * Only references are taken under the lock (immutable snapshots and rule states, one per cluster);
     * the store writes the ones that are not the objects it wrote last.
     */
    private PersistedState currentState() {
        Map<ClusterKey, ClusterSnapshot> clusters = new LinkedHashMap<>();
        Map<ClusterKey, AlertState> rules;
        List<OutboxEntry> outbox;
        List<DeadLetter> dead;
        synchronized (alerting) {
            for (TargetStatus target : live.all()) {
                clusters.put(target.key(), target.snapshot());
            }
            rules = alerts.partsByCluster();
            outbox = dispatcher.pending();
            dead = dispatcher.deadLetters();
        }
        return new PersistedState(clusters,
                RemediationDocuments.with(AlertDocuments.of(rules, outbox, dead), remediator.intents()));
    }

    /** Where people reach the monitor: the configured host, or this machine's name when listening on all interfaces. */
    public String url() {
        String host = config.server().host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0")) {
            host = localHostName();
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (server.secure() ? "https://" : "http://") + host + ":" + server.port() + "/";
    }

    private static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        naming.dispose();
        covering.dispose();
        polling.dispose();
        delivering.dispose();
        saving.dispose();
        try {
            // Through the coalescing writer, not beside it: a save still queued there would otherwise
            // be written after this one and put back an older state (a delivered notice still queued).
            store.saveLast(this::currentState).block(SHUTDOWN_SAVE_TIMEOUT);
        } catch (RuntimeException e) {
            log.error("could not write the state store on shutdown: {}", e.toString());
        }
        try {
            store.close();
        } catch (RuntimeException e) {
            log.debug("state writer closed after a failed write: {}", e.toString()); // reported just above
        }
        server.close();
        client.close();
        metrics.close();
    }
}
