package io.github.atlasexport.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Turns a {@link Scenario} into a {@link SimWorld} as of the simulator's start instant. */
final class WorldBuilder {
    private static final Duration GENERATED_JOB_SPACING = Duration.ofMinutes(30);
    private static final int GENERATED_PLAN_POOL = 64;
    /** How the exports auto-export made before start went: long finished by then. */
    private static final JobPlan PAST_EXPORT = JobPlan.succeeding(Duration.ofSeconds(30), Duration.ofMinutes(5), 20);

    private final Instant start;
    private final AtomicLong jobSerials = new AtomicLong();
    private long clusterSerial;
    private long bucketSerial;
    private int projectIndex;

    private WorldBuilder(Instant start) {
        this.start = start.truncatedTo(ChronoUnit.SECONDS);
    }

    static SimWorld build(Scenario scenario, Instant start) {
        WorldBuilder builder = new WorldBuilder(start);
        List<SimProject> projects = new ArrayList<>();
        for (Scenario.ProjectSpec spec : scenario.projects()) {
            projects.add(builder.project(spec));
        }
        if (scenario.generate() != null) {
            builder.generate(scenario.generate(), projects);
        }
        return new SimWorld(projects);
    }

    private SimProject project(Scenario.ProjectSpec spec) {
        String groupId = spec.id() != null ? spec.id() : SimIds.of(SimIds.PROJECT, projectIndex + 1L);
        projectIndex++;
        List<SimProject.SimBucket> buckets = new ArrayList<>();
        for (Scenario.BucketSpec b : spec.exportBuckets()) {
            buckets.add(new SimProject.SimBucket(b.id() != null ? b.id() : nextBucketId(), b.name()));
        }
        if (buckets.isEmpty()) {
            buckets.add(new SimProject.SimBucket(nextBucketId(), slug(spec.name()) + "-exports"));
        }
        List<SimCluster> clusters = new ArrayList<>();
        for (Scenario.ClusterSpec c : spec.clusters()) {
            String bucketId = c.exportBucket() != null ? c.exportBucket() : buckets.get(0).id();
            if (buckets.stream().noneMatch(b -> b.id().equals(bucketId))) {
                throw new IllegalArgumentException("exportBucket: " + bucketId + " is not a bucket of project " + spec.name());
            }
            SimCluster cluster = cluster(groupId, c, c.churn(), Duration.ZERO, bucketId);
            clusters.add(cluster);
            List<StartJob> startJobs = new ArrayList<>();
            for (Scenario.JobSpec job : c.jobs()) {
                startJobs.add(new StartJob(start.minus(job.createdAgo()), job.plan(), cluster.snapshots().get(0).id()));
            }
            SimCluster.SimSchedule schedule = cluster.schedule();
            for (SimCluster.SimSnapshot snapshot : cluster.snapshots()) {
                if (schedule != null && schedule.exportsAt(snapshot.createdAt())) {
                    startJobs.add(new StartJob(snapshot.createdAt().plus(SimCluster.AUTO_EXPORT_DELAY), PAST_EXPORT,
                            snapshot.id()));
                }
            }
            startJobs.sort(Comparator.comparing(StartJob::createdAt));
            for (StartJob job : startJobs) {
                cluster.add(job.plan(), job.createdAt(), job.snapshotId(), bucketId, List.of());
            }
        }
        return new SimProject(groupId, spec.name(), start.minus(Duration.ofDays(400)), buckets, clusters);
    }

    private SimCluster cluster(String groupId, Scenario.ClusterSpec spec, Scenario.Churn churn, Duration stagger,
                               String bucketId) {
        long serial = ++clusterSerial;
        List<SimCluster.SimSnapshot> snapshots = new ArrayList<>();
        Instant newest = spec.newestSnapshotAgo() != null ? start.minus(spec.newestSnapshotAgo())
                : start.truncatedTo(ChronoUnit.HOURS);
        for (int i = 0; i < spec.snapshots(); i++) {
            snapshots.add(new SimCluster.SimSnapshot(SimIds.of(SimIds.SNAPSHOT, serial * 1000 + i),
                    newest.minus(spec.snapshotEvery().multipliedBy(i))));
        }
        Scenario.AutoExport auto = spec.autoExport();
        SimCluster.SimSchedule schedule = auto == null ? null : new SimCluster.SimSchedule(auto.enabled(), bucketId,
                auto.frequency(), auto.stoppedAgo() == null ? null : start.minus(auto.stoppedAgo()), auto.plan());
        Instant churnStart = churn == null ? null : start.plus(churn.offset()).plus(stagger);
        return new SimCluster(SimIds.of(SimIds.CLUSTER, serial), groupId, spec.name(), spec.type(), spec.shards(),
                snapshots, spec.snapshotEvery(), serial << 32, schedule, spec.onCreate(),
                churn, churnStart, bucketId, jobSerials::incrementAndGet);
    }

    /** A job that exists at start: one the scenario lists, or one auto-export made before start. */
    private record StartJob(Instant createdAt, JobPlan plan, String snapshotId) {
    }

    /** Bulk projects for benchmarks; plans come from a small shared pool to keep memory low. */
    private void generate(Scenario.Generate g, List<SimProject> out) {
        SplittableRandom random = new SplittableRandom(g.seed());
        List<JobPlan> pool = new ArrayList<>();
        for (int i = 0; i < GENERATED_PLAN_POOL; i++) {
            pool.add(generatedPlan(random));
        }
        int shardedEvery = g.shardedFraction() == 0 ? Integer.MAX_VALUE : (int) Math.round(1 / g.shardedFraction());
        int clusterIndex = 0;
        for (int p = 0; p < g.projects(); p++) {
            String groupId = SimIds.of(SimIds.PROJECT, 0x10000L + p);
            String name = String.format("bench-%05d", p);
            SimProject.SimBucket bucket = new SimProject.SimBucket(nextBucketId(), name + "-exports");
            List<SimCluster> clusters = new ArrayList<>();
            for (int c = 0; c < g.clustersPerProject(); c++, clusterIndex++) {
                boolean sharded = clusterIndex % shardedEvery == shardedEvery - 1;
                Scenario.ClusterSpec spec = sharded
                        ? Scenario.ClusterSpec.sharded("Cluster" + c, 3, List.of(), null)
                        : Scenario.ClusterSpec.replicaSet("Cluster" + c, List.of(), null);
                Duration stagger = g.churn() == null ? Duration.ZERO
                        : g.churn().every().multipliedBy(clusterIndex % 60).dividedBy(60);
                SimCluster cluster = cluster(groupId, spec, g.churn(), stagger, bucket.id());
                for (int k = g.jobsPerCluster() - 1; k >= 0; k--) {
                    Instant createdAt = start.minus(GENERATED_JOB_SPACING.multipliedBy(k))
                            .minusSeconds(random.nextInt(600));
                    cluster.add(pool.get(random.nextInt(pool.size())), createdAt,
                            cluster.snapshots().get(0).id(), bucket.id(), List.of());
                }
                clusters.add(cluster);
            }
            out.add(new SimProject(groupId, name, start.minus(Duration.ofDays(400)), List.of(bucket), clusters));
        }
    }

    /** Mostly successes, with the failures, cancellations and hangs a large fleet shows. */
    private static JobPlan generatedPlan(SplittableRandom random) {
        double roll = random.nextDouble();
        JobPlan.Outcome outcome = roll < 0.80 ? JobPlan.Outcome.SUCCESSFUL
                : roll < 0.88 ? JobPlan.Outcome.FAILED
                : roll < 0.94 ? JobPlan.Outcome.CANCELLED
                : roll < 0.98 ? JobPlan.Outcome.HANG
                : JobPlan.Outcome.HANG_QUEUED;
        return new JobPlan(Duration.ofSeconds(random.nextInt(300)), Duration.ofMinutes(10 + random.nextInt(80)),
                5 + random.nextInt(200), outcome, null, null);
    }

    private String nextBucketId() {
        return SimIds.of(SimIds.BUCKET, ++bucketSerial);
    }

    private static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return slug.replaceAll("^-|-$", "");
    }
}
