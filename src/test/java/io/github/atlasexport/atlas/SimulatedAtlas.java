package io.github.atlasexport.atlas;

import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.simulator.JobPlan;
import io.github.atlasexport.simulator.Scenario;
import io.github.atlasexport.simulator.SimClock;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * The real simulator on loopback and our client pointed at it, for the client's integration tests:
 * a small world written as scenario YAML plus a project with one cluster too big for one page.
 * Closing it closes every client it made, then the simulator.
 */
final class SimulatedAtlas implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final String PAYMENTS = "5f0a1b2c3d4e5f60718293a4";
    static final String STAGING = "5f0a1b2c3d4e5f60718293a5";
    static final String BULK = "5f0a1b2c3d4e5f60718293a6";
    static final String BUCKET = "66bb00000000000000000002";
    static final String FAILURE = "Access denied writing to s3://payments-exports";
    static final int BIG_CLUSTER_JOBS = 1207;
    static final Credentials.Digest API_KEY = new Credentials.Digest("sim-public", "sim-private");
    static final Credentials.ServiceAccount ACCOUNT = new Credentials.ServiceAccount("sim-client", "sim-secret");
    /** Retries as in production, but with backoffs short enough for tests. */
    static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), 0.5, Duration.ofSeconds(5));

    static final String SCENARIO = """
            projects:
              - id: %s
                name: Payments
                exportBuckets:
                  - {id: %s, name: payments-exports}
                clusters:
                  - name: Cluster0
                    jobs:
                      - createdAgo: 3h
                        plan: {queuedFor: 1m, runFor: 20m, collections: 40}
                      - createdAgo: 1h
                        plan: {queuedFor: 1m, runFor: 5m, collections: 40, outcome: Failed,
                               failReason: "%s", errorCode: EXPORT_BUCKET_ACCESS_DENIED}
                      - createdAgo: 2m
                        plan: {queuedFor: 30s, runFor: 10m, collections: 40}
                  - name: Ledger
                    type: SHARDED
                    shards: 3
                    jobs:
                      - createdAgo: 1h
                        plan: {queuedFor: 1m, runFor: 10m, outcome: Hang}
              - id: %s
                name: Staging
                clusters:
                  - name: Archive
            """.formatted(PAYMENTS, BUCKET, FAILURE, STAGING);

    final AtlasSimulator sim;
    /** What every client made here reported to its {@link ExchangeListener}. */
    final List<ExchangeListener.Exchange> seen = new CopyOnWriteArrayList<>();
    private final List<AtlasClient> clients = new ArrayList<>();

    private SimulatedAtlas(AtlasSimulator sim) {
        this.sim = sim;
    }

    /** The world above on a clock that stands still at {@link #T0}. */
    static SimulatedAtlas start() {
        return start(scenario(), SimClock.startingAt(T0));
    }

    static SimulatedAtlas start(Scenario scenario, SimClock clock) {
        return new SimulatedAtlas(AtlasSimulator.start("127.0.0.1", 0, scenario, clock));
    }

    /** The YAML world plus project Bulk, whose cluster Big holds {@link #BIG_CLUSTER_JOBS} jobs a minute apart. */
    static Scenario scenario() {
        Scenario small = Scenario.parse(SCENARIO, "inline scenario");
        JobPlan done = JobPlan.succeeding(Duration.ofSeconds(10), Duration.ofSeconds(50), 5);
        List<Scenario.JobSpec> jobs = IntStream.range(0, BIG_CLUSTER_JOBS)
                .mapToObj(i -> Scenario.JobSpec.of(Duration.ofMinutes(i + 1), done))
                .toList();
        List<Scenario.ProjectSpec> projects = new ArrayList<>(small.projects());
        projects.add(new Scenario.ProjectSpec(BULK, "Bulk", null, List.of(Scenario.ClusterSpec.replicaSet("Big", jobs, null))));
        return small.withProjects(projects);
    }

    AtlasClientOptions options(Credentials credentials) {
        return AtlasClientOptions.create(URI.create(sim.baseUrl()), credentials)
                // Generous: the first exchange in a cold JVM on a busy machine can take seconds, and a
                // timeout would show up as an extra, retried exchange.
                .withRequestTimeout(Duration.ofSeconds(10))
                .withRequestsPerMinute(100_000)
                .withRetryPolicy(QUICK)
                .withListener(seen::add);
    }

    AtlasClient client(Credentials credentials) {
        return client(options(credentials));
    }

    AtlasClient client(AtlasClientOptions options) {
        AtlasClient client = AtlasClients.create(options);
        clients.add(client);
        return client;
    }

    /** One call so that the client holds a nonce or token, then counters at zero on both sides. */
    void warmUp(AtlasClient client) {
        client.listClusters(PAYMENTS).collectList().block(Duration.ofSeconds(10));
        sim.resetCounters();
        seen.clear();
    }

    /** The simulator's name for an endpoint of ours: {@code /api/atlas/v2} and the template. */
    static String route(ApiVersion version, String endpoint) {
        return "/api/atlas/" + version.pathSegment() + endpoint;
    }

    @Override
    public void close() {
        clients.forEach(AtlasClient::close);
        sim.close();
    }
}
