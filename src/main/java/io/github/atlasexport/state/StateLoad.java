package io.github.atlasexport.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.DepartedJob;
import io.github.atlasexport.monitor.TrackedJob;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read side of {@link StateDatabase}: every table read back into snapshots and documents, with the
 * rows that could not be read named apart, for the database to set aside. Reads only.
 */
final class StateLoad {
    /**
     * Job rows read and parsed at a time. All of them at once (500,000 rows: hundreds of MB) outlived
     * young collections and were promoted, to die in the old generation and stay there through the
     * first poll cycle; a batch dies young.
     */
    static final int LOAD_BATCH = 10_000;
    private static final Comparator<RowJob> NEWEST_FIRST = Comparator
            .comparing((RowJob job) -> job.job().job().createdAt(), Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(job -> job.job().id());

    private StateLoad() {
    }

    /** A job row that cannot be read, and why. */
    record UnreadableJob(ClusterKey cluster, String jobId, String body, String reason) {
    }

    /** A document that is not JSON, and why. */
    record UnreadableDocument(String kind, String key, String reason) {
    }

    /** What the tables hold: the clusters' snapshots, the documents by kind and key, and what could not be read. */
    record Read(Map<ClusterKey, ClusterSnapshot> clusters, Map<String, Map<String, Object>> documents,
                List<UnreadableJob> unreadableJobs, List<UnreadableDocument> unreadableDocuments) {
    }

    static Read read(Connection connection) throws SQLException {
        Map<ClusterKey, Instant[]> polled = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT group_id, cluster_name, observed_at, first_polled_at FROM clusters")) {
            while (rows.next()) {
                polled.put(new ClusterKey(rows.getString(1), rows.getString(2)),
                        new Instant[]{instant(rows.getString(3)), instant(rows.getString(4))});
            }
        }
        List<UnreadableJob> unreadable = new ArrayList<>();
        Map<ClusterKey, List<RowJob>> byCluster = readJobs(connection, unreadable);
        Map<ClusterKey, Map<String, TrackedJob>> jobs = new HashMap<>();
        Map<ClusterKey, Map<String, DepartedJob>> departed = new HashMap<>();
        byCluster.forEach((key, clusterJobs) -> {
            clusterJobs.sort(NEWEST_FIRST);
            Map<String, TrackedJob> listed = new LinkedHashMap<>();
            Map<String, DepartedJob> gone = new LinkedHashMap<>();
            for (RowJob job : clusterJobs) {
                if (job.leftAt() == null) {
                    listed.put(job.job().id(), job.job());
                } else {
                    gone.put(job.job().id(), new DepartedJob(job.job(), job.leftAt()));
                }
            }
            jobs.put(key, listed);
            departed.put(key, gone);
        });
        Map<ClusterKey, ClusterSnapshot> clusters = new HashMap<>();
        polled.forEach((key, at) -> clusters.put(key,
                new ClusterSnapshot(key, jobs.getOrDefault(key, Map.of()), at[0], at[1], departed.get(key))));
        List<UnreadableDocument> unreadableDocuments = new ArrayList<>();
        Map<String, Map<String, Object>> documents = readDocuments(connection, unreadableDocuments);
        return new Read(clusters, documents, unreadable, unreadableDocuments);
    }

    /**
     * In key order (no sort in SQLite); parsed on every core, a batch at a time, since a restart at
     * 500,000 jobs is mostly this. Each cluster's jobs are sorted newest first afterwards, as Atlas lists them.
     */
    private static Map<ClusterKey, List<RowJob>> readJobs(Connection connection, List<UnreadableJob> unreadable)
            throws SQLException {
        Map<ClusterKey, List<RowJob>> byCluster = new HashMap<>();
        List<JobRow.Stored> batch = new ArrayList<>(LOAD_BATCH);
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT group_id, cluster_name, job_id, first_seen, "
                     + "state_since, stuck_clock_start, stuck, left_at, body FROM jobs")) {
            ClusterKey cluster = null;
            while (result.next()) {
                String groupId = result.getString(1);
                String clusterName = result.getString(2);
                if (cluster == null || !cluster.groupId().equals(groupId) || !cluster.clusterName().equals(clusterName)) {
                    cluster = new ClusterKey(groupId, clusterName); // rows come mostly a cluster at a time: one key each
                }
                batch.add(new JobRow.Stored(cluster, result.getString(3), result.getBytes(9), result.getString(4),
                        result.getString(5), result.getString(6), result.getInt(7) != 0, result.getString(8)));
                if (batch.size() == LOAD_BATCH) {
                    parseInto(batch, byCluster, unreadable);
                    batch.clear();
                }
            }
        }
        parseInto(batch, byCluster, unreadable);
        return byCluster;
    }

    private static void parseInto(List<JobRow.Stored> rows, Map<ClusterKey, List<RowJob>> byCluster,
                                  List<UnreadableJob> unreadable) {
        Object[] parsed = rows.parallelStream().map(StateLoad::parse).toArray();
        for (int i = 0; i < parsed.length; i++) {
            JobRow.Stored row = rows.get(i);
            if (parsed[i] instanceof RowJob job) {
                byCluster.computeIfAbsent(row.cluster(), key -> new ArrayList<>(64)).add(job);
            } else {
                unreadable.add(new UnreadableJob(row.cluster(), row.jobId(), row.bodyText(),
                        ((IllegalArgumentException) parsed[i]).getMessage()));
            }
        }
    }

    private static Map<String, Map<String, Object>> readDocuments(Connection connection,
                                                                  List<UnreadableDocument> unreadable)
            throws SQLException {
        Map<String, Map<String, Object>> documents = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT kind, key, body FROM documents ORDER BY kind, key")) {
            while (rows.next()) {
                String kind = rows.getString(1);
                String key = rows.getString(2);
                try {
                    JsonNode value = StateJson.MAPPER.readTree(rows.getString(3));
                    documents.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(key, value);
                } catch (JsonProcessingException e) {
                    unreadable.add(new UnreadableDocument(kind, key, e.getOriginalMessage()));
                }
            }
        }
        return documents;
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    /** The job of one row and when it left the list (null while listed). */
    private record RowJob(TrackedJob job, Instant leftAt) {
    }

    /** The job of a row, or the reason it cannot be read. */
    private static Object parse(JobRow.Stored row) {
        try {
            return new RowJob(row.toTrackedJob(), row.departed() ? row.leftAtTime() : null);
        } catch (IllegalArgumentException e) {
            return e;
        }
    }
}
