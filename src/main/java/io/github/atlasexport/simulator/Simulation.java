package io.github.atlasexport.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Everything a running simulator holds (world, clock, auth, limiter, faults, counters) and the
 * control operations shared by the Java handle and the {@code /__sim/} HTTP API.
 */
final class Simulation {
    private static final Logger log = LoggerFactory.getLogger(Simulation.class);

    /** Atlas limits the token endpoint to 50 requests a minute. */
    static final int TOKEN_REQUESTS_PER_MINUTE = 50;

    final Scenario scenario;
    final SimClock clock;
    final SimWorld world;
    final FaultInjector faults = new FaultInjector();
    final RequestLog requests = new RequestLog();
    final DigestAuthenticator digest;
    final OAuthTokens tokens;
    final RateLimiter limiter;
    /** {@code POST /api/oauth/token}'s own limit, apart from the per-project buckets. */
    final RateLimiter tokenLimiter;
    final Permissions permissions;
    final AtlasApi api;

    Simulation(Scenario scenario, SimClock clock) {
        this.scenario = scenario;
        this.clock = clock;
        this.world = WorldBuilder.build(scenario, clock.instant());
        Scenario.Credentials credentials = scenario.credentials();
        this.digest = new DigestAuthenticator(credentials.digestKeys().stream()
                .collect(Collectors.toMap(Scenario.DigestKey::publicKey, Scenario.DigestKey::privateKey, (a, b) -> b)),
                scenario.nonceLifetime(), clock);
        this.tokens = new OAuthTokens(credentials.serviceAccounts().stream()
                .collect(Collectors.toMap(Scenario.ServiceAccount::clientId, Scenario.ServiceAccount::clientSecret,
                        (a, b) -> b)),
                scenario.tokenLifetime(), clock);
        this.limiter = new RateLimiter(scenario.rateLimit(), clock);
        this.tokenLimiter = new RateLimiter(Scenario.RateLimit.perMinute(TOKEN_REQUESTS_PER_MINUTE, TOKEN_REQUESTS_PER_MINUTE), clock);
        this.permissions = new Permissions(credentials);
        this.api = new AtlasApi(world, clock);
        faults.set(scenario.faults());
    }

    Instant advance(Duration by) {
        Instant now = clock.advance(by);
        log.info("simulated clock advanced by {} to {}", SimDurations.format(by), now);
        return now;
    }

    /** The project and cluster, or {@link NoSuchElementException} naming what is missing. */
    Located locate(String groupId, String clusterName) {
        SimProject project = world.project(groupId);
        if (project == null) {
            throw new NoSuchElementException("no project " + groupId);
        }
        SimCluster cluster = project.cluster(clusterName);
        if (cluster == null) {
            throw new NoSuchElementException("no cluster " + clusterName + " in project " + groupId);
        }
        return new Located(project, cluster);
    }

    SimJob job(Located where, String jobId) {
        SimJob job = where.cluster().find(jobId, clock.instant());
        if (job == null) {
            throw new NoSuchElementException("no export job " + jobId + " on " + where.cluster().name());
        }
        return job;
    }

    SimJob addJob(String groupId, String clusterName, JobPlan plan) {
        Located where = locate(groupId, clusterName);
        SimCluster cluster = where.cluster();
        SimJob job = cluster.create(plan, clock.instant(), cluster.snapshots().get(0).id(),
                where.project().buckets().get(0).id(), List.of());
        log.info("control: export job {} added on {}/{} ({})", job.id(), groupId, clusterName, plan.outcome());
        return job;
    }

    /** Freezes a job in {@code state}, any string at all; {@code reason} explains a Failed. */
    /** Expires a snapshot of a cluster; false if it had none by that id. */
    boolean removeSnapshot(String groupId, String clusterName, String snapshotId) {
        boolean removed = locate(groupId, clusterName).cluster().removeSnapshot(snapshotId);
        log.info("control: snapshot {} of {}/{} {}", snapshotId, groupId, clusterName, removed ? "expired" : "not found");
        return removed;
    }

    SimJob setJobState(String groupId, String clusterName, String jobId, String state, String reason) {
        if (state == null || state.isBlank()) {
            throw new IllegalArgumentException("state must not be blank");
        }
        SimJob job = job(locate(groupId, clusterName), jobId);
        job.force(state, reason, clock.instant());
        log.info("control: export job {} on {}/{} set to {}", jobId, groupId, clusterName, state);
        return job;
    }

    void setFaults(List<Fault> newFaults) {
        faults.set(newFaults);
        log.info("control: faults now {}", newFaults);
    }

    /** Walks every job: meant for the control API, not for hot paths. */
    SimSummary summary() {
        Instant now = clock.instant();
        Map<String, Long> byState = new TreeMap<>();
        long jobs = 0;
        for (SimProject project : world.projects()) {
            for (SimCluster cluster : project.clusters()) {
                for (SimJob job : cluster.all(now)) {
                    byState.merge(job.status(now).state(), 1L, Long::sum);
                    jobs++;
                }
            }
        }
        return new SimSummary(now, clock.offset(), world.projects().size(), world.clusterCount(), jobs, byState,
                faults.active(), scenario.rateLimit().requestsPerMinute());
    }

    record Located(SimProject project, SimCluster cluster) {
    }
}
