package io.github.atlasexport.bench;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.TrackedJob;
import io.github.atlasexport.state.PersistedState;
import io.github.atlasexport.state.StateStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the state store writes for a poll cycle in which 1 % of 500,000 tracked jobs change (issue 13,
 * target 1), and how long a restart on those 500,000 jobs takes to load.
 *
 * <p>The fleet is {@code --clusters} (10,000) clusters of {@code --jobs} (50) jobs parsed and diffed from
 * {@link ExportJobPages} as the monitor does. The store is written once whole, then a cycle changes
 * {@code --changed-percent} (1) of the jobs, picked at random across the fleet (a state change with new
 * progress, as a poll reports it), in {@code --saves} (8) saves, the monitor's saves of a cycle being
 * about one a second. Bytes are what the process handed to {@code write(2)} ({@code wchar} of
 * {@code /proc/self/io}), the WAL checkpoint that copies those pages into the database included.
 * The baseline is the changed jobs times the average bytes of one job row (its columns and body), and
 * beside it the size of the whole store, which is what every save of the JSON state file rewrote.
 */
public final class StateWriteHarness {
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        HarnessArgs options = HarnessArgs.parse(args);
        int clusters = options.integer("clusters", 10_000);
        int jobsPerCluster = options.integer("jobs", 50);
        int changedPercent = options.integer("changed-percent", 1);
        int saves = options.integer("saves", 8);
        options.finish();

        Path dir = Files.createTempDirectory("state-write-harness");
        Path database = dir.resolve("state.db");
        Map<ClusterKey, ClusterSnapshot> fleet = fleet(clusters, jobsPerCluster);
        int jobs = clusters * jobsPerCluster;

        try (StateStore first = new StateStore(database)) {
            first.load();
            first.save(new PersistedState(fleet, Map.of()));
        }
        checkpoint(database);
        long storeBytes = Files.size(database);
        double rowBytes = averageRowBytes(database);

        long loadStarted = System.nanoTime();
        long loadCpuStarted = PROCESS.getProcessCpuTime();
        StateStore store = new StateStore(database);
        PersistedState loaded = store.load();
        Duration startup = Duration.ofNanos(System.nanoTime() - loadStarted);
        Duration startupCpu = Duration.ofNanos(PROCESS.getProcessCpuTime() - loadCpuStarted);
        if (loaded.clusters().size() != clusters) {
            throw new IllegalStateException("loaded " + loaded.clusters().size() + " clusters, saved " + clusters);
        }

        int changed = jobs * changedPercent / 100;
        List<Map<ClusterKey, ClusterSnapshot>> steps = cycle(loaded.clusters(), changed, saves, new Random(42));
        long wcharBefore = wchar();
        long rowsBefore = store.rowsWritten();
        for (Map<ClusterKey, ClusterSnapshot> step : steps) {
            store.save(new PersistedState(step, Map.of()));
        }
        store.close();
        checkpoint(database);
        long written = wchar() - wcharBefore;
        long rows = store.rowsWritten() - rowsBefore;

        double baseline = changed * rowBytes;
        System.out.printf("RESULT state writes: %,d jobs, %,d changed in %d saves (%,d rows written): %,d bytes "
                        + "written; baseline %,d changed x %.0f B a job row = %,.0f B; ratio %.2f (target <= 2); "
                        + "a full rewrite of the store: %,d B (%.1f x this cycle)%n",
                jobs, changed, saves, rows, written, changed, rowBytes, baseline, written / baseline, storeBytes,
                storeBytes / (double) written);
        System.out.printf("RESULT startup: load of %,d jobs in %.2f s (target <= 5 s), %.2f s of process CPU%n", jobs,
                startup.toMillis() / 1000.0, startupCpu.toMillis() / 1000.0);
    }

    private static Map<ClusterKey, ClusterSnapshot> fleet(int clusters, int jobsPerCluster) {
        Map<ClusterKey, ClusterSnapshot> fleet = new LinkedHashMap<>();
        Instant now = ExportJobPages.NEWEST.plusSeconds(60);
        for (int c = 0; c < clusters; c++) {
            ClusterKey key = new ClusterKey(TrackedFleet.GROUP, ExportJobPages.clusterName(c));
            ClusterSnapshot snapshot = TrackedFleet.observe(ClusterSnapshot.empty(key),
                    ExportJobPages.page(TrackedFleet.GROUP, c, jobsPerCluster, 0), now).snapshot();
            fleet.put(key, snapshot);
        }
        return fleet;
    }

    /** {@code saves} successive states, together changing {@code changed} distinct random jobs. */
    private static List<Map<ClusterKey, ClusterSnapshot>> cycle(Map<ClusterKey, ClusterSnapshot> start, int changed,
                                                                int saves, Random random) {
        List<ClusterKey> keys = new ArrayList<>(start.keySet());
        Map<ClusterKey, ClusterSnapshot> current = new HashMap<>(start);
        List<Map<ClusterKey, ClusterSnapshot>> steps = new ArrayList<>();
        java.util.Set<String> done = new java.util.HashSet<>();
        int perSave = (changed + saves - 1) / saves;
        for (int s = 0; s < saves; s++) {
            for (int n = 0; n < perSave && done.size() < changed; ) {
                ClusterKey key = keys.get(random.nextInt(keys.size()));
                ClusterSnapshot snapshot = current.get(key);
                List<String> ids = new ArrayList<>(snapshot.jobs().keySet());
                String id = ids.get(random.nextInt(ids.size()));
                if (!done.add(key + "/" + id)) {
                    continue;
                }
                Map<String, TrackedJob> jobs = new LinkedHashMap<>(snapshot.jobs());
                jobs.put(id, changedJob(jobs.get(id)));
                current.put(key, new ClusterSnapshot(key, jobs, snapshot.observedAt(), snapshot.firstPolledAt(),
                        snapshot.departed()));
                n++;
            }
            steps.add(new HashMap<>(current));
        }
        return steps;
    }

    private static TrackedJob changedJob(TrackedJob tracked) {
        ExportJob job = tracked.job();
        Instant at = tracked.stateSince().plusSeconds(60);
        ExportJob next = new ExportJob(job.id(), job.snapshotId(), job.exportBucketId(), job.createdAt(), at,
                job.prefix(), ExportState.SUCCESSFUL, job.stateReason(), job.errMsg(), job.exportStatus(),
                job.components(), job.customData());
        return new TrackedJob(next, tracked.firstSeen(), at, at, false);
    }

    private static double averageRowBytes(Path database) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT avg(length(group_id) + length(cluster_name) + length(job_id)"
                     + " + ifnull(length(state), 0) + ifnull(length(created_at), 0) + ifnull(length(finished_at), 0)"
                     + " + length(first_seen) + length(state_since) + length(stuck_clock_start) + 1"
                     + " + ifnull(length(left_at), 0) + length(body)) FROM jobs")) {
            row.next();
            return row.getDouble(1);
        }
    }

    /** Copies what the WAL holds into the database, as SQLite's automatic checkpoints do over time. */
    private static void checkpoint(Path database) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    private static long wchar() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("wchar:")) {
                return Long.parseLong(line.substring("wchar:".length()).strip());
            }
        }
        throw new IOException("no wchar in /proc/self/io");
    }
}
