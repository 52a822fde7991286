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
    private static final int MIN_KEPT_SNAPSHOTS = 14;
    /** An auto-export job starts this long after its snapshot was taken. */
    static final Duration AUTO_EXPORT_DELAY = Duration.ofMinutes(1);
    private final String id;
    private final String groupId;
    private final String name;
    private final Scenario.ClusterType type;
    private final int shards;
    /** Newest first; taken on the clock every {@code snapshotEvery}, the newest {@link #keptSnapshots} kept. */
    private final ArrayList<SimSnapshot> snapshots;
    private final int keptSnapshots;
    private final Duration snapshotEvery;
    private final SimSchedule schedule;
    private final JobPlan onCreate;
    private final Scenario.Churn churn;
    private final String churnBucketId;
    private final LongSupplier serials;
    private final ArrayList<SimJob> jobs = new ArrayList<>();
    private Instant nextSpawn;
    private long spawned;
    private long snapshotSerial;

    /**
     * @param snapshots     newest first, the ones taken before start
     * @param schedule      the backup schedule's auto-export policy
     * @param snapshotIdBase the serial of the first snapshot taken on the clock, less one
     */
    SimCluster(String id, String groupId, String name, Scenario.ClusterType type, int shards, List<SimSnapshot> snapshots,
               Duration snapshotEvery, long snapshotIdBase, SimSchedule schedule, JobPlan onCreate, Scenario.Churn churn, Instant churnStart,
               String churnBucketId, LongSupplier serials) {
        this.id = id;
        this.groupId = groupId;
        this.name = name;
        this.type = type;
        this.shards = shards;
        this.snapshots = new ArrayList<>(snapshots);
        this.keptSnapshots = Math.max(snapshots.size(), MIN_KEPT_SNAPSHOTS);
        this.snapshotEvery = snapshotEvery;
        this.schedule = schedule;
        this.snapshotSerial = snapshotIdBase;
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

    /** Newest first, as of the last request that caught the cluster up with the clock. */
    synchronized List<SimSnapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    /** Newest first, the ones due by {@code now} taken. */
    synchronized List<SimSnapshot> snapshots(Instant now) {
        catchUp(now);
        return List.copyOf(snapshots);
    }

    SimSchedule schedule() {
        return schedule;
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

    /**
     * A job created through {@code POST .../backup/exports}: refused with 409, as Atlas does, while an
     * export of the same snapshot to the same bucket is still Queued or InProgress.
     */
    synchronized SimJob createExport(Instant now, String snapshotId, String exportBucketId,
                                     List<ExportJob.CustomData> customData) {
        catchUp(now);
        for (SimJob job : jobs) {
            if (job.snapshotId().equals(snapshotId) && job.exportBucketId().equals(exportBucketId)
                    && job.status(now).finishedAt() == null) {
                throw ApiError.of(409, "EXPORT_ALREADY_IN_PROGRESS", "Snapshot " + snapshotId
                                + " is already being exported to export bucket " + exportBucketId + " by export job " + job.id() + ".",
                        snapshotId, exportBucketId, job.id());
            }
        }
        return add(onCreate, now, snapshotId, exportBucketId, customData);
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
        takeSnapshots(now);
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

    /** Snapshots due by {@code now}, each exported as it is taken while auto-export runs. */
    private void takeSnapshots(Instant now) {
        for (Instant next = snapshots.get(0).createdAt().plus(snapshotEvery); !next.isAfter(now);
             next = next.plus(snapshotEvery)) {
            SimSnapshot snapshot = new SimSnapshot(SimIds.of(SimIds.SNAPSHOT, ++snapshotSerial),
                    next);
            snapshots.add(0, snapshot);
            if (schedule != null && schedule.exportsAt(next)) {
                add(schedule.plan(), next.plus(AUTO_EXPORT_DELAY), snapshot.id(), schedule.bucketId(), List.of());
            }
        }
        if (snapshots.size() > keptSnapshots) {
            snapshots.subList(keptSnapshots, snapshots.size()).clear();
        }
    }

    record SimSnapshot(String id, Instant createdAt) {
    }

    /**
     * What the backup schedule says about exports, and what really happens: exports stop at
     * {@code stoppedAt} (null: never), whatever {@code autoExport} still says.
     */
    record SimSchedule(boolean autoExport, String bucketId, String frequency, Instant stoppedAt, JobPlan plan) {
        boolean exportsAt(Instant snapshotTakenAt) {
            return autoExport && (stoppedAt == null || snapshotTakenAt.isBefore(stoppedAt));
        }
    }
}
