package io.github.atlasexport.simulator;

import io.github.atlasexport.atlas.ExportJob;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
    private final List<SimSnapshot> snapshots; // guarded by this: one can expire (removeSnapshot)
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
        this.snapshots = new ArrayList<>(snapshots);
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
    synchronized List<SimSnapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    /** The snapshot with this id, or null (never taken, or expired). */
    synchronized SimSnapshot snapshot(String snapshotId) {
        return snapshots.stream().filter(s -> s.id().equals(snapshotId)).findFirst().orElse(null);
    }

    /** Expires a snapshot: it leaves the list and its GET answers 404. False if there was none. */
    synchronized boolean removeSnapshot(String snapshotId) {
        return snapshots.removeIf(s -> s.id().equals(snapshotId));
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
        long skipped = Math.max(0, due - churn.keep());
        spawned += skipped;
        nextSpawn = nextSpawn.plus(every.multipliedBy(skipped));
        for (long i = skipped; i < due; i++) {
            JobPlan plan = churn.plans().get((int) (spawned % churn.plans().size()));
            add(plan, nextSpawn, snapshots.get(0).id(), churnBucketId, List.of());
            spawned++;
            nextSpawn = nextSpawn.plus(every);
        }
        int excess = jobs.size() - churn.keep();
        if (excess > 0) {
            jobs.subList(0, excess).clear();
        }
    }

    record SimSnapshot(String id, Instant createdAt) {
    }
}
