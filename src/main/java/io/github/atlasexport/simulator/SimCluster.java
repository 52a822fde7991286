package io.github.atlasexport.simulator;

import io.github.atlasexport.atlas.ExportJob;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A cluster and its export jobs. Jobs are kept oldest first; lists are served newest first, as
 * Atlas does. Churned jobs are created lazily when someone looks, so an idle simulator does no work
 * and a clock jump only creates the jobs that will be kept.
 */
final class SimCluster {
    private final String id;
    private final String groupId;
    private final String name;
    private final Scenario.ClusterType type;
    private final int shards;
    private final List<SimSnapshot> snapshots;
    private final JobPlan onCreate;
    private final Scenario.Churn churn;
    private final String churnBucketId;
    private final LongSupplier serials;
    private final ArrayList<SimJob> jobs = new ArrayList<>();
    private Instant nextSpawn;
    private long spawned;

    SimCluster(String id, String groupId, String name, Scenario.ClusterType type, int shards, List<SimSnapshot> snapshots,
               JobPlan onCreate, Scenario.Churn churn, Instant churnStart, String churnBucketId, LongSupplier serials) {
        this.id = id;
        this.groupId = groupId;
        this.name = name;
        this.type = type;
        this.shards = shards;
        this.snapshots = List.copyOf(snapshots);
        this.onCreate = onCreate;
        this.churn = churn;
        this.churnBucketId = churnBucketId;
        this.serials = serials;
        this.nextSpawn = churn == null ? null : churnStart;
    }

    String id() {
        return id;
    }

    String groupId() {
        return groupId;
    }

    String name() {
        return name;
    }

    Scenario.ClusterType type() {
        return type;
    }

    boolean sharded() {
        return type == Scenario.ClusterType.SHARDED;
    }

    int shards() {
        return shards;
    }

    /** Newest first. */
    List<SimSnapshot> snapshots() {
        return snapshots;
    }

    JobPlan onCreate() {
        return onCreate;
    }

    /** A job created now (through the API or the control API), after any churn that was due. */
    synchronized SimJob create(JobPlan plan, Instant now, String snapshotId, String exportBucketId,
                               List<ExportJob.CustomData> customData) {
        catchUp(now);
        return add(plan, now, snapshotId, exportBucketId, customData);
    }

    /** Appends a job; callers add in creation order. */
    synchronized SimJob add(JobPlan plan, Instant createdAt, String snapshotId, String exportBucketId,
                            List<ExportJob.CustomData> customData) {
        SimJob job = new SimJob(serials.getAsLong(), createdAt, plan, snapshotId, exportBucketId, customData);
        jobs.add(job);
        return job;
    }

    /** Jobs newest first, {@code limit} of them from {@code offset}. */
    synchronized Page<SimJob> page(long offset, int limit, Instant now) {
        catchUp(now);
        int size = jobs.size();
        List<SimJob> items = new ArrayList<>(Math.max(0, (int) Math.min(limit, size - Math.min(offset, size))));
        for (long i = offset; i < size && items.size() < limit; i++) {
            items.add(jobs.get(size - 1 - (int) i));
        }
        return new Page<>(items, size);
    }

    synchronized SimJob find(String jobId, Instant now) {
        catchUp(now);
        long serial = SimIds.serialOf(SimIds.JOB, jobId);
        for (int i = jobs.size() - 1; i >= 0 && serial >= 0; i--) {
            if (jobs.get(i).serial() == serial) {
                return jobs.get(i);
            }
        }
        return null;
    }

    synchronized List<SimJob> all(Instant now) {
        catchUp(now);
        return List.copyOf(jobs);
    }

    private void catchUp(Instant now) {
        if (nextSpawn == null || nextSpawn.isAfter(now)) {
            return;
        }
        Duration every = churn.every();
        long due = Duration.between(nextSpawn, now).toMillis() / every.toMillis() + 1;
        // Spawns that would only be dropped again are skipped: ended ones beyond keep, never a live one.
        long skipped = Math.max(0, Math.min(due - churn.keep(), endedAmong(due, now)));
        spawned += skipped;
        nextSpawn = nextSpawn.plus(every.multipliedBy(skipped));
        for (long i = skipped; i < due; i++) {
            JobPlan plan = churn.plans().get((int) (spawned % churn.plans().size()));
            add(plan, nextSpawn, snapshots.get(0).id(), churnBucketId, List.of());
            spawned++;
            nextSpawn = nextSpawn.plus(every);
        }
        // As Atlas: retention drops ended jobs, oldest first; a Queued or InProgress job stays listed.
        int excess = jobs.size() - churn.keep();
        for (Iterator<SimJob> oldestFirst = jobs.iterator(); excess > 0 && oldestFirst.hasNext(); ) {
            if (oldestFirst.next().status(now).finishedAt() != null) {
                oldestFirst.remove();
                excess--;
            }
        }
    }

    /** How many of the next {@code due} spawns will have ended by {@code now} whatever their plan; none if a plan never ends. */
    private long endedAmong(long due, Instant now) {
        Duration longest = Duration.ZERO;
        for (JobPlan plan : churn.plans()) {
            if (plan.outcome() == JobPlan.Outcome.HANG || plan.outcome() == JobPlan.Outcome.HANG_QUEUED) {
                return 0;
            }
            Duration life = plan.queuedFor().plus(plan.runFor());
            longest = life.compareTo(longest) > 0 ? life : longest;
        }
        long ended = Duration.between(nextSpawn, now.minus(longest)).toMillis();
        return ended < 0 ? 0 : Math.min(due, ended / churn.every().toMillis() + 1);
    }

    record SimSnapshot(String id, Instant createdAt) {
    }
}
