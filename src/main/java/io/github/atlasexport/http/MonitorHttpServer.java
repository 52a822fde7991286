package io.github.atlasexport.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.atlasexport.alert.ActiveAlert;
import io.github.atlasexport.coverage.ClusterCoverage;
import io.github.atlasexport.alert.DeadLetter;
import io.github.atlasexport.config.WebConfig;
import io.github.atlasexport.monitor.LiveTargets;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The monitor's HTTP face (SPEC section 4). Rendering a large scrape or page is CPU work, so it runs
 * on a named worker scheduler, never on the event loop that accepted the request; concurrent scrapes
 * share one render, and work beyond what the scheduler holds is answered 503. {@link ServerLimits}
 * bound what one client can hold: slow and idle connections are closed, and so are those beyond the limit.
 */
public final class MonitorHttpServer implements AutoCloseable {
    private static final String JSON = "application/json";
    private static final int RENDER_THREADS = 2;
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(MonitorHttpServer.class);

    private final ObjectMapper json;
    private final LiveTargets targets;
    private final MetricsScraper scraper;
    private final Supplier<List<ActiveAlert>> alerts;
    private final BooleanSupplier ready;
    private final DeadLetterDesk deadLetters;
    private final BooleanSupplier healthy;
    private final Supplier<List<ClusterCoverage>> coverage;
    private final Scheduler renderer = Schedulers.newBoundedElastic(RENDER_THREADS, 64, "http-render");
    private final AtomicInteger connections = new AtomicInteger();
    /**
     * Accepted connections still open, closed with the server: one kept alive would otherwise hold the
     * server, and through it the monitor and its state, until its idle timeout (twice the state in
     * memory for that long after a reload).
     */
    private final ChannelGroup openConnections = new DefaultChannelGroup("monitor-http", GlobalEventExecutor.INSTANCE);
    private final ThrottledWarning refusedConnections = new ThrottledWarning(log,
            "HTTP connection limit reached: new connections are closed at once", WARN_EVERY);
    private final ThrottledWarning overloadedRequests = new ThrottledWarning(log,
            "HTTP server overloaded: answered 503 with Retry-After", WARN_EVERY);
    private ServerAccess access;
    /** Null unless {@code --web.enable-lifecycle}: then {@code POST /-/reload} is served. */
    private Lifecycle lifecycle;
    /** Path template to the methods it takes (its {@code Allow} header), filled as the routes are made. */
    private final Map<Pattern, String> allowed = new LinkedHashMap<>();
    private ScrapeCache scrapes;
    private DisposableServer server;

    public MonitorHttpServer(ObjectMapper json, LiveTargets targets, MetricsScraper scraper,
                             Supplier<List<ActiveAlert>> alerts, BooleanSupplier ready, BooleanSupplier healthy,
                             DeadLetterDesk deadLetters) {
        this(json, targets, scraper, alerts, ready, healthy, deadLetters, List::of);
    }

    /** @param coverage the latest coverage per cluster, for {@code /api/v1/coverage} */
    public MonitorHttpServer(ObjectMapper json, LiveTargets targets, MetricsScraper scraper,
                             Supplier<List<ActiveAlert>> alerts, BooleanSupplier ready, BooleanSupplier healthy,
                             DeadLetterDesk deadLetters, Supplier<List<ClusterCoverage>> coverage) {
        this.coverage = requireNonNull(coverage, "coverage must not be null");
        this.deadLetters = requireNonNull(deadLetters, "deadLetters must not be null");
        this.json = requireNonNull(json, "json must not be null");
        this.targets = requireNonNull(targets, "targets must not be null");
        this.scraper = requireNonNull(scraper, "scraper must not be null");
        this.alerts = requireNonNull(alerts, "alerts must not be null");
        this.ready = requireNonNull(ready, "ready must not be null");
        this.healthy = requireNonNull(healthy, "healthy must not be null");
    }

    public MonitorHttpServer start(String host, int port) {
        return start(host, port, ServerLimits.defaults());
    }

    public MonitorHttpServer start(String host, int port, ServerLimits limits) {
        return start(host, port, limits, WebConfig.NONE);
    }

    /** Serves {@code POST /-/reload} through {@code lifecycle}; call before {@code start}. */
    public MonitorHttpServer withLifecycle(Lifecycle lifecycle) {
        this.lifecycle = requireNonNull(lifecycle, "lifecycle must not be null");
        return this;
    }

    /**
     * With the web config's TLS, basic auth users and headers.
     *
     * @throws UncheckedIOException with an {@link javax.net.ssl.SSLException} when the certificate or key cannot be used
     */
    public MonitorHttpServer start(String host, int port, ServerLimits limits, WebConfig web) {
        access = new ServerAccess(web, this::overloaded);
        scrapes = new ScrapeCache(scraper, renderer, limits.scrapeReuse(), RENDER_THREADS);
        server = HttpServer.create()
                .host(host)
                .port(port)
                .doOnChannelInit((observer, channel, remote) -> guard(channel, limits))
                .handle(access.guard(this::routes))
                .bindNow();
        return this;
    }

    /**
     * Every GET route answers HEAD too (Reactor Netty sends the headers of the GET answer and no body);
     * another method on a known path is 405 with the methods it takes, and only unknown paths are 404.
     */
    private void routes(HttpServerRoutes routes) {
        readable(routes, "/metrics", this::metrics);
        readable(routes, "/-/healthy", this::health);
        readable(routes, "/-/ready", this::readiness);
        readable(routes, "/api/v1/jobs", (request, response) ->
                render(response, JSON, () -> write(JobsDocument.render(json, targets.all()))));
        readable(routes, "/api/v1/coverage", (request, response) -> render(response, JSON,
                () -> write(CoverageDocument.render(json, coverage.get(), Instant.now()))));
        readable(routes, "/api/v1/alerts", (request, response) -> render(response, JSON,
                dead(request) ? this::deadLettersJson : this::alertsJson));
        postable(routes, "/api/v1/alerts/dead/resend", (request, response) -> resend(response, null));
        postable(routes, "/api/v1/alerts/dead/{id}/resend", (request, response) -> resend(response, request.param("id")));
        readable(routes, "/", (request, response) -> render(response, "text/html; charset=utf-8",
                () -> StatusPage.render(targets.all(), targets.discoveries(), targets.projectNames(), coverage.get(),
                        alerts.get(), deadLetters.list(), ready.getAsBoolean(), Instant.now())));
        if (lifecycle != null) {
            postable(routes, "/-/reload", this::reload);
        }
        routes.route(request -> true, this::unrouted);
    }

    /** 200 once the new config checked out (it is applied right after the answer), 500 naming its problems. */
    private Publisher<Void> reload(HttpServerRequest request, HttpServerResponse response) {
        return Mono.fromCallable(lifecycle::check)
                .subscribeOn(renderer)
                .flatMap(problems -> problems.isEmpty()
                        ? Mono.from(text(response, HttpResponseStatus.OK, "reloading\n"))
                                .doFinally(signal -> Schedulers.boundedElastic().schedule(lifecycle::apply))
                        : Mono.from(text(response, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                "config not reloaded:\n" + String.join("\n", problems) + "\n")));
    }

    private void readable(HttpServerRoutes routes, String path, Handler handler) {
        routes.get(path, handler).head(path, handler);
        allowed.put(template(path), "GET, HEAD");
    }

    private void postable(HttpServerRoutes routes, String path, Handler handler) {
        routes.post(path, handler);
        allowed.put(template(path), "POST");
    }

    /** {@code /api/v1/alerts/dead/{id}/resend} matches any one segment where the {@code {id}} is. */
    private static Pattern template(String path) {
        return Pattern.compile(Pattern.quote(path).replaceAll("\\{[^/}]+}", "\\\\E[^/]+\\\\Q"));
    }

    private Publisher<Void> unrouted(HttpServerRequest request, HttpServerResponse response) {
        String path = new QueryStringDecoder(request.uri()).path(); // lenient: fullPath() throws on characters a URI may not hold
        return allowed.entrySet().stream()
                .filter(route -> route.getKey().matcher(path).matches())
                .findFirst()
                .map(route -> text(response.header(HttpHeaderNames.ALLOW, route.getValue()),
                        HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed: " + route.getValue() + " only\n"))
                .orElseGet(() -> text(response, HttpResponseStatus.NOT_FOUND, "Not found\n"));
    }

    private interface Handler extends BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {
    }

    public int port() {
        return server.port();
    }

    /** Serving TLS (https), from the web config. */
    public boolean secure() {
        return access != null && access.secure();
    }

    public String host() {
        return server.host();
    }

    /** Past the limit a connection is closed at once: descriptors stay free for the connections being served. */
    private void guard(Channel channel, ServerLimits limits) {
        int open = connections.incrementAndGet();
        channel.closeFuture().addListener(closed -> connections.decrementAndGet());
        openConnections.add(channel); // leaves the group when it closes
        if (open > limits.maxConnections()) {
            refusedConnections.occurred();
            channel.close();
            return;
        }
        channel.pipeline().addAfter(NettyPipeline.HttpCodec, "connectionGuard",
                new ConnectionGuard(limits.requestReadTimeout(), limits.idleTimeout()));
        access.secure(channel);
    }

    /** Refused basic auth attempts so far ({@code atlas_export_http_auth_failures_total}). */
    public long authFailures() {
        return access == null ? 0 : access.authFailures();
    }

    private Publisher<Void> metrics(HttpServerRequest request, HttpServerResponse response) {
        String accept = request.requestHeaders().get(HttpHeaderNames.ACCEPT, "");
        return scrapes.scrape(accept)
                .flatMap(scrape -> response.header(HttpHeaderNames.CONTENT_TYPE, scrape.contentType())
                        .sendByteArray(Mono.just(scrape.body()))
                        .then())
                .onErrorResume(RejectedExecutionException.class, overloaded -> overloaded(response));
    }

    /** Every render thread and its queue are taken: the client is told to come back, and the log is not flooded. */
    private Mono<Void> overloaded(HttpServerResponse response) {
        overloadedRequests.occurred();
        return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaderNames.RETRY_AFTER, "1")
                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .sendString(Mono.just("Overloaded: too many requests at once; retry shortly\n"))
                .then();
    }

    private Publisher<Void> health(HttpServerRequest request, HttpServerResponse response) {
        return healthy.getAsBoolean()
                ? text(response, HttpResponseStatus.OK, "Healthy\n")
                : text(response, HttpResponseStatus.SERVICE_UNAVAILABLE, "Unhealthy: polling has stopped\n");
    }

    private Publisher<Void> readiness(HttpServerRequest request, HttpServerResponse response) {
        return ready.getAsBoolean()
                ? text(response, HttpResponseStatus.OK, "Ready\n")
                : text(response, HttpResponseStatus.SERVICE_UNAVAILABLE, "Not ready: not every target was tried yet\n");
    }

    private String alertsJson() {
        ObjectNode root = json.createObjectNode();
        ArrayNode list = root.putArray("alerts");
        for (ActiveAlert alert : alerts.get()) {
            ObjectNode node = list.addObject()
                    .put("alertname", alert.alertname())
                    .put("severity", alert.severity())
                    .put("startsAt", alert.startsAt().toString());
            node.set("labels", json.valueToTree(alert.labels()));
            node.set("annotations", json.valueToTree(alert.annotations()));
        }
        return write(root);
    }

    private static boolean dead(HttpServerRequest request) {
        List<String> dead = new QueryStringDecoder(request.uri()).parameters().get("dead");
        return dead != null && dead.contains("true");
    }

    private String deadLettersJson() {
        ObjectNode root = json.createObjectNode();
        ArrayNode list = root.putArray("dead");
        for (DeadLetter letter : deadLetters.list()) {
            ObjectNode node = list.addObject()
                    .put("id", letter.id())
                    .put("sink", letter.sink())
                    .put("alertname", letter.notice().alertname())
                    .put("status", letter.notice().status().wire())
                    .put("severity", letter.notice().severity())
                    .put("startsAt", letter.notice().startsAt().toString())
                    .put("queuedAt", letter.queuedAt().toString())
                    .put("deadAt", letter.deadAt().toString())
                    .put("attempts", letter.attempts())
                    .put("lastError", letter.lastError());
            node.set("labels", json.valueToTree(letter.notice().labels()));
            node.set("annotations", json.valueToTree(letter.notice().annotations()));
        }
        return write(root);
    }

    /** 200 with how many went back to the queue; 404 when an id matched no dead letter. */
    private Publisher<Void> resend(HttpServerResponse response, String id) {
        return Mono.fromCallable(() -> deadLetters.resend(id))
                .subscribeOn(renderer)
                .flatMap(count -> response.status(id != null && count == 0 ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.OK)
                        .header(HttpHeaderNames.CONTENT_TYPE, JSON)
                        .sendString(Mono.just(write(json.createObjectNode().put("resent", count))))
                        .then());
    }

    private Publisher<Void> render(HttpServerResponse response, String contentType, Supplier<String> body) {
        return Mono.fromSupplier(body)
                .subscribeOn(renderer)
                .flatMap(text -> response.header(HttpHeaderNames.CONTENT_TYPE, contentType)
                        .sendString(Mono.just(text), StandardCharsets.UTF_8)
                        .then())
                .onErrorResume(RejectedExecutionException.class, overloaded -> overloaded(response));
    }

    private static Publisher<Void> text(HttpServerResponse response, HttpResponseStatus status, String body) {
        return response.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .sendString(Mono.just(body));
    }

    private String write(Object node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.disposeNow();
        }
        openConnections.close();
        if (access != null) {
            access.close();
        }
        renderer.dispose();
    }
}
