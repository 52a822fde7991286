package io.github.atlasexport.simulator;

import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;

import static java.util.Objects.requireNonNull;

/**
 * A running simulated Atlas Administration API (SPEC sections 1 and 7) on a real HTTP server, and
 * the handle to steer it from Java: the same operations as the {@code /__sim/} control API.
 *
 * <pre>{@code
 * try (AtlasSimulator sim = AtlasSimulator.start("127.0.0.1", 0, Scenario.builtIn(), SimClock.startingAt(t0))) {
 *     String url = sim.baseUrl();           // http://127.0.0.1:PORT, the Atlas baseUrl
 *     sim.advance(Duration.ofMinutes(2));
 * }
 * }</pre>
 */
public final class AtlasSimulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AtlasSimulator.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Simulation sim;
    private final LoopResources loops;
    private final DisposableServer server;
    private final String host;

    private AtlasSimulator(Simulation sim, LoopResources loops, DisposableServer server, String host) {
        this.sim = sim;
        this.loops = loops;
        this.server = server;
        this.host = host;
    }

    /** Starts on real time. Port 0 picks a free port; see {@link #port()}. */
    public static AtlasSimulator start(String host, int port, Scenario scenario) {
        return start(host, port, scenario, SimClock.system());
    }

    public static AtlasSimulator start(String host, int port, Scenario scenario, SimClock clock) {
        requireNonNull(host, "host must not be null");
        requireNonNull(scenario, "scenario must not be null");
        requireNonNull(clock, "clock must not be null");
        Simulation sim = new Simulation(scenario, clock);
        SimDispatcher dispatcher = new SimDispatcher(sim);
        LoopResources loops = LoopResources.create("atlas-sim", Math.max(2, Runtime.getRuntime().availableProcessors()), true);
        DisposableServer server;
        try {
            server = HttpServer.create()
                    .host(host)
                    .port(port)
                    .runOn(loops)
                    .handle((in, out) -> serve(dispatcher, in, out))
                    .bindNow(BIND_TIMEOUT);
        } catch (RuntimeException e) {
            loops.disposeLater(Duration.ZERO, CLOSE_TIMEOUT).block(CLOSE_TIMEOUT);
            throw e;
        }
        AtlasSimulator simulator = new AtlasSimulator(sim, loops, server, host);
        log.info("Atlas simulator listening on {} ({} projects, {} clusters)", simulator.baseUrl(),
                sim.world.projects().size(), sim.world.clusterCount());
        return simulator;
    }

    private static Mono<Void> serve(SimDispatcher dispatcher, HttpServerRequest in, HttpServerResponse out) {
        return in.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                .map(body -> SimRequest.of(in.method().name(), in.uri(), in.requestHeaders(), body, "http://localhost"))
                .flatMap(request -> {
                    SimDispatcher.Prepared prepared = dispatcher.prepare(request);
                    Mono<SimResponse> answer = Mono.fromSupplier(prepared.answer());
                    return prepared.delay().isZero() ? answer : Mono.delay(prepared.delay()).then(answer);
                })
                .flatMap(response -> write(out, response));
    }

    private static Mono<Void> write(HttpServerResponse out, SimResponse response) {
        if (response.reset()) {
            // SO_LINGER 0 turns the close into a TCP RST: the client sees a reset, not a clean end.
            out.withConnection(c -> {
                c.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                c.channel().close();
            });
            return Mono.empty();
        }
        out.status(response.status());
        response.headers().forEach(out::header);
        return out.sendByteArray(Mono.just(response.body())).then();
    }

    public int port() {
        return server.port();
    }

    /** {@code http://host:port}: what a client uses as the Atlas {@code baseUrl}. */
    public String baseUrl() {
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + shown + ":" + port();
    }

    public SimClock clock() {
        return sim.clock;
    }

    public Scenario scenario() {
        return sim.scenario;
    }

    /** Moves simulated time forward; returns the new now. */
    public Instant advance(Duration by) {
        return sim.advance(by);
    }

    /**
     * Freezes a job in {@code state} (any string, "Paused" included); {@code reason} becomes the
     * failure message of a Failed job and may be null.
     *
     * @throws NoSuchElementException for an unknown project, cluster or job
     */
    public void setJobState(String groupId, String clusterName, String jobId, String state, String reason) {
        sim.setJobState(groupId, clusterName, jobId, state, reason);
    }

    /** Creates a job on a cluster, now, following {@code plan}; returns its id. */
    public String addJob(String groupId, String clusterName, JobPlan plan) {
        return sim.addJob(groupId, clusterName, requireNonNull(plan, "plan must not be null")).id();
    }

    /**
     * Expires a snapshot: it leaves the snapshot list, its GET and an export of it answer 404.
     *
     * @return false if the cluster had no snapshot by that id
     * @throws NoSuchElementException for an unknown project or cluster
     */
    public boolean removeSnapshot(String groupId, String clusterName, String snapshotId) {
        return sim.removeSnapshot(groupId, clusterName, snapshotId);
    }

    /** Replaces the faults in force. */
    public void setFaults(List<Fault> faults) {
        sim.setFaults(List.copyOf(faults));
    }

    public void clearFaults() {
        sim.setFaults(List.of());
    }

    /** Faults still able to fire, with what is left of their counts. */
    public List<Fault> faults() {
        return sim.faults.active();
    }

    public RequestCounts requestCounts() {
        return sim.requests.snapshot();
    }

    public void resetCounters() {
        sim.requests.reset();
    }

    public SimSummary summary() {
        return sim.summary();
    }

    /** Completes when the server has stopped. */
    public Mono<Void> onDispose() {
        return server.onDispose();
    }

    /** Stops the server and its event loops, waiting a few seconds at most. Not from an event loop. */
    public void dispose() {
        server.disposeNow(CLOSE_TIMEOUT);
        // No quiet period: the server is already closed, nothing more will arrive on these loops.
        loops.disposeLater(Duration.ZERO, CLOSE_TIMEOUT).block(CLOSE_TIMEOUT);
        log.info("Atlas simulator on port {} stopped", server.port());
    }

    @Override
    public void close() {
        dispose();
    }
}
