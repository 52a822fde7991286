package io.github.atlasexport.coverage;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.atlas.Snapshot;
import io.github.atlasexport.monitor.ClusterKey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The coverage computation: functions from what Atlas lists (snapshots, export jobs, the schedule) to
 * the recovery point, the unexported snapshots, the overdue verdict and the failing buckets. No I/O,
 * no clock: {@code now} is an argument.
 */
public final class CoverageRules {
    /** Jobs newest first by when they finished (else were created): what "the last N jobs" means. */
    private static final Comparator<ExportJob> NEWEST_FIRST = Comparator.comparing(CoverageRules::endedAt,
            Comparator.nullsLast(Comparator.reverseOrder())).thenComparing(ExportJob::id, Comparator.reverseOrder());

    private CoverageRules() {
    }

    /**
     * One cluster's coverage.
     *
     * @param watchedSince    the cluster's first poll: without any export, a policy is missed one period
     *                        and the grace after that
     * @param policyChangedAt when the monitor saw the policy change to this one, or null if it never did: a
     *                        new policy is not missed before one period and the grace have passed under it
     * @param snapshots   the cluster's snapshots (replica-set or sharded form), any order
     * @param jobs        the cluster's export jobs, any order
     * @param grace       {@code alerts.overdue.grace}
     */
    public static ClusterCoverage assess(ClusterKey cluster, ExportPolicy policy, Instant watchedSince,
                                         Instant policyChangedAt, Collection<Snapshot> snapshots,
                                         Collection<ExportJob> jobs, Instant now, Duration grace) {
        requireNonNull(watchedSince, "watchedSince must not be null");
        requireNonNull(now, "now must not be null");
        requireNonNull(grace, "grace must not be null");
        Set<String> exported = new HashSet<>();
        for (ExportJob job : jobs) {
            if (ExportState.SUCCESSFUL.equals(job.state()) && job.snapshotId() != null) {
                exported.add(job.snapshotId());
            }
        }
        Snapshot recovery = null;
        for (Snapshot snapshot : snapshots) {
            if (snapshot.createdAt() != null && exported.contains(snapshot.id())
                    && (recovery == null || snapshot.createdAt().isAfter(recovery.createdAt()))) {
                recovery = snapshot;
            }
        }
        String recoveryId = recovery != null ? recovery.id() : null;
        Instant recoveryPoint = recovery != null ? recovery.createdAt() : null;
        int unexported = 0;
        for (Snapshot snapshot : snapshots) {
            if (snapshot.completed() && !exported.contains(snapshot.id()) && snapshot.createdAt() != null
                    && (recoveryPoint == null || snapshot.createdAt().isAfter(recoveryPoint))) {
                unexported++;
            }
        }
        Duration period = policy.period();
        Instant deadline = null;
        if (period != null) {
            Instant reference = latest(recoveryPoint != null ? recoveryPoint : watchedSince, policyChangedAt);
            deadline = reference.plus(period).plus(grace);
        }
        boolean overdue = deadline != null && !now.isBefore(deadline);
        return new ClusterCoverage(cluster, policy, recoveryId, recoveryPoint, unexported, deadline, overdue, now);
    }

    /**
     * Each bucket the jobs export to: failing when its newest {@code after} finished jobs all Failed.
     * Jobs still running do not count yet; a Cancelled or Successful one ends a run of failures.
     *
     * @param jobs every export job of the project's watched clusters
     */
    public static List<BucketVerdict> buckets(String groupId, Collection<ExportJob> jobs, int after) {
        requireNonNull(groupId, "groupId must not be null");
        if (after < 1) {
            throw new IllegalArgumentException("after must be at least 1, got " + after);
        }
        Map<String, List<ExportJob>> byBucket = new TreeMap<>();
        Map<String, ExportJob> unique = new HashMap<>();
        for (ExportJob job : jobs) {
            if (job.exportBucketId() != null && ExportState.isTerminal(job.state())) {
                unique.put(job.id(), job);
            }
        }
        unique.values().forEach(job -> byBucket.computeIfAbsent(job.exportBucketId(), id -> new ArrayList<>()).add(job));
        List<BucketVerdict> verdicts = new ArrayList<>();
        byBucket.forEach((bucketId, bucketJobs) -> {
            bucketJobs.sort(NEWEST_FIRST);
            int run = 0;
            while (run < bucketJobs.size() && ExportState.FAILED.equals(bucketJobs.get(run).state())) {
                run++;
            }
            boolean failing = run >= after;
            // The run reached `after` with its after-th oldest failure: the same instant on every read.
            Instant since = failing ? endedAt(bucketJobs.get(run - after)) : null;
            String lastError = run > 0 ? bucketJobs.get(0).errorMessage() : null;
            verdicts.add(new BucketVerdict(groupId, bucketId, failing, run, since, lastError));
        });
        return verdicts;
    }

    private static Instant latest(Instant a, Instant b) {
        return b != null && b.isAfter(a) ? b : a;
    }

    private static Instant endedAt(ExportJob job) {
        return job.finishedAt() != null ? job.finishedAt() : job.createdAt();
    }
}
