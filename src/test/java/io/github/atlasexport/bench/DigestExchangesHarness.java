package io.github.atlasexport.bench;

import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.AtlasClients;
import io.github.atlasexport.atlas.Credentials;
import io.github.atlasexport.atlas.DigestHash;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.simulator.RequestCounts;
import io.github.atlasexport.simulator.Scenario;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue target 2: exchanges per call with digest auth in steady state, as the simulator counts them.
 * Our client and a challenge-every-call client (what {@code curl --digest} does on each run: a 401,
 * then the signed request) each make the same list calls with the same number in flight, after a
 * warm-up at that concurrency; the simulator refuses a nonce's counts out of order, as strict servers do.
 *
 * <pre>bench/run.sh digest [--calls=20000] [--concurrency=64] [--warmup=2000]</pre>
 *
 * Exits 1 when ours costs more than {@link #TARGET} exchanges per call.
 */
public final class DigestExchangesHarness {
    static final double TARGET = 1.05;
    private static final String SCENARIO = "generate: {projects: 4, clustersPerProject: 16, jobsPerCluster: 20, seed: 7}";
    private static final Credentials.Digest KEY = new Credentials.Digest("sim-public", "sim-private");
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(10);

    private DigestExchangesHarness() {
    }

    public static void main(String[] args) {
        Map<String, Integer> settings = settings(args);
        int calls = settings.get("calls");
        int concurrency = settings.get("concurrency");
        int warmup = settings.get("warmup");

        boolean met;
        try (AtlasSimulator sim = AtlasSimulator.start("127.0.0.1", 0, Scenario.parse(SCENARIO, "digest harness"));
             AtlasClient ours = AtlasClients.create(AtlasClientOptions.create(URI.create(sim.baseUrl()), KEY)
                     .withMaxConcurrency(concurrency)
                     .withRequestsPerMinute(100_000_000)
                     .withRequestTimeout(Duration.ofSeconds(30)));
             ChallengeEveryCall baseline = new ChallengeEveryCall(sim.baseUrl(), concurrency)) {
            List<Target> clusters = ours.listProjects()
                    .flatMap(project -> ours.listClusters(project.id()).map(cluster -> new Target(project.id(), cluster.name())))
                    .collectList()
                    .block(CALL_TIMEOUT);
            IntFunction<Target> target = i -> clusters.get(i % clusters.size());

            Run our = measure(sim, calls, concurrency, warmup,
                    i -> ours.listExportJobs(target.apply(i).groupId(), target.apply(i).name()).count());
            Run their = measure(sim, calls, concurrency, warmup,
                    i -> baseline.listExportJobs(target.apply(i).groupId(), target.apply(i).name()));

            System.out.printf("%nDigest exchanges per call: %d listExportJobs calls at %d in flight over %d clusters,"
                    + " after %d warm-up calls each%n", calls, concurrency, clusters.size(), warmup);
            System.out.println("  ours (session pool)        " + our);
            System.out.println("  baseline (challenge/call)  " + their);
            System.out.printf("  ratio ours / baseline      %.3f%n", our.perCall() / their.perCall());
            met = our.perCall() <= TARGET;
            System.out.printf("  target: ours <= %.2f exchanges per call: %s%n", TARGET, met ? "met" : "MISSED");
        }
        System.exit(met ? 0 : 1);
    }

    /** Warm-up, counters to zero, then {@code calls} calls with {@code concurrency} in flight. */
    private static Run measure(AtlasSimulator sim, int calls, int concurrency, int warmup, IntFunction<Mono<Long>> call) {
        Flux.range(0, warmup).flatMap(call::apply, concurrency).blockLast(CALL_TIMEOUT);
        sim.resetCounters();
        long start = System.nanoTime();
        long jobs = Flux.range(0, calls).flatMap(call::apply, concurrency).reduce(0L, Long::sum).block(CALL_TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        RequestCounts counts = sim.requestCounts();
        if (counts.countStatus(200) != calls || jobs == 0) {
            throw new IllegalStateException("expected " + calls + " answered calls, the simulator counted " + counts.entries());
        }
        return new Run(calls, counts.total(), counts.countStatus(401), took);
    }

    private static Map<String, Integer> settings(String[] args) {
        Map<String, Integer> settings = new LinkedHashMap<>(Map.of("calls", 20_000, "concurrency", 64, "warmup", 2_000));
        for (String arg : args) {
            Matcher m = Pattern.compile("--(\\w+)=(\\d+)").matcher(arg);
            if (!m.matches() || !settings.containsKey(m.group(1))) {
                throw new IllegalArgumentException("usage: DigestExchangesHarness [--calls=N] [--concurrency=N] [--warmup=N], not " + arg);
            }
            settings.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return settings;
    }

    /** A cluster to list the export jobs of. */
    record Target(String groupId, String name) {
    }

    record Run(int calls, long exchanges, long challenges, Duration took) {
        double perCall() {
            return exchanges / (double) calls;
        }

        @Override
        public String toString() {
            return String.format("%.4f exchanges/call  (%d exchanges, %d of them 401, %.1f s)",
                    perCall(), exchanges, challenges, took.toMillis() / 1000.0);
        }
    }

    /**
     * The baseline: a plain Reactor Netty client that keeps no nonce, so every call is an unsigned
     * GET answered 401 and the same GET signed with the nonce that 401 brought (nc 1). Its few lines
     * of digest are its own on purpose: a baseline must not share the code it is measured against.
     */
    private static final class ChallengeEveryCall implements AutoCloseable {
        private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
        private static final SecureRandom RANDOM = new SecureRandom();

        private final ConnectionProvider connections;
        private final HttpClient http;

        ChallengeEveryCall(String baseUrl, int concurrency) {
            this.connections = ConnectionProvider.builder("challenge-every-call").maxConnections(concurrency).build();
            this.http = HttpClient.create(connections)
                    .baseUrl(baseUrl)
                    .responseTimeout(Duration.ofSeconds(30))
                    .headers(h -> h.set(HttpHeaderNames.ACCEPT, ApiVersion.V2.mediaType()));
        }

        /** The page's size in bytes (the harness only needs a non-zero result per call). */
        Mono<Long> listExportJobs(String groupId, String clusterName) {
            String uri = "/api/atlas/v2/groups/" + groupId + "/clusters/" + clusterName
                    + "/backup/exports?pageNum=1&itemsPerPage=500&includeCount=false";
            return get(uri, null).flatMap(challenge -> {
                if (challenge.status() != 401) {
                    return Mono.error(new IllegalStateException("expected a challenge, got " + challenge.status()));
                }
                return get(uri, sign(challenge.wwwAuthenticate(), uri));
            }).flatMap(answer -> answer.status() == 200 ? Mono.just((long) answer.bodyLength())
                    : Mono.error(new IllegalStateException("signed request answered " + answer.status())));
        }

        private Mono<Answer> get(String uri, String authorization) {
            return http.headers(h -> {
                        if (authorization != null) {
                            h.set(HttpHeaderNames.AUTHORIZATION, authorization);
                        }
                    })
                    .get()
                    .uri(uri)
                    .responseSingle((response, body) -> body.asByteArray().defaultIfEmpty(new byte[0])
                            .map(bytes -> new Answer(response.status().code(),
                                    response.responseHeaders().get(HttpHeaderNames.WWW_AUTHENTICATE), bytes.length)));
        }

        private static String sign(String challenge, String uri) {
            Map<String, String> params = new HashMap<>();
            Matcher m = PARAM.matcher(challenge);
            while (m.find()) {
                params.put(m.group(1), m.group(2));
            }
            byte[] random = new byte[8];
            RANDOM.nextBytes(random);
            String cnonce = HexFormat.of().formatHex(random);
            String response = DigestHash.response("MD5", KEY.publicKey(), params.get("realm"), KEY.privateKey(), "GET", uri,
                    params.get("nonce"), "00000001", cnonce, "auth");
            return "Digest username=\"" + KEY.publicKey() + "\", realm=\"" + params.get("realm") + "\", nonce=\""
                    + params.get("nonce") + "\", uri=\"" + uri + "\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\""
                    + cnonce + "\", response=\"" + response + "\"";
        }

        @Override
        public void close() {
            connections.dispose();
        }

        private record Answer(int status, String wwwAuthenticate, int bodyLength) {
        }
    }
}
