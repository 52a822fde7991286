package io.github.atlasexport.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.atlasexport.atlas.InstantText;
import io.github.atlasexport.monitor.ClusterKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;

/**
 * The SQLite file behind {@link StateStore}: schema, the load (read by {@link StateLoad}, what it could not
 * read set aside), and one transaction per {@link StateDelta}.
 * Blocking JDBC: used only from the state-writer thread (and at start, before any loop runs).
 * WAL journal, {@code synchronous=NORMAL} for job states (a power cut may lose the last commits, never
 * the file) and {@code FULL} for a write that holds notices or rule state, which alerts depend on.
 */
final class StateDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StateDatabase.class);
    /** {@code PRAGMA user_version} of the schema below. */
    static final int SCHEMA_VERSION = 1;
    private static final String[] SCHEMA = {
            """
            CREATE TABLE IF NOT EXISTS clusters (
              group_id TEXT NOT NULL, cluster_name TEXT NOT NULL, observed_at TEXT, first_polled_at TEXT,
              PRIMARY KEY (group_id, cluster_name)) WITHOUT ROWID""",
            """
            CREATE TABLE IF NOT EXISTS jobs (
              group_id TEXT NOT NULL, cluster_name TEXT NOT NULL, job_id TEXT NOT NULL,
              state TEXT, created_at TEXT, finished_at TEXT,
              first_seen TEXT NOT NULL, state_since TEXT NOT NULL, stuck_clock_start TEXT NOT NULL,
              stuck INTEGER NOT NULL, left_at TEXT, body TEXT NOT NULL,
              UNIQUE (group_id, cluster_name, job_id),
              FOREIGN KEY (group_id, cluster_name) REFERENCES clusters ON DELETE CASCADE)""",
            """
            CREATE TABLE IF NOT EXISTS documents (
              kind TEXT NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL,
              UNIQUE (kind, key))""",
            """
            CREATE TABLE IF NOT EXISTS set_aside (
              set_aside_at TEXT NOT NULL, what TEXT NOT NULL, body TEXT, reason TEXT NOT NULL)"""
    };

    private final Path path;
    private final Connection connection;
    private boolean durable;

    private StateDatabase(Path path, Connection connection) {
        this.path = path;
        this.connection = connection;
    }

    /**
     * Opens (creating if needed) and checks the database.
     *
     * @throws SQLException if the file is not a usable database (not SQLite, damaged, a newer schema)
     */
    static StateDatabase open(Path path) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + path);
        try {
            StateDatabase database = new StateDatabase(path, connection);
            database.prepare();
            return database;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void prepare() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 5000");
            String check = single(statement, "PRAGMA quick_check");
            if (!"ok".equals(check)) {
                throw new SQLException("integrity check failed: " + check);
            }
            int version = Integer.parseInt(single(statement, "PRAGMA user_version"));
            if (version > SCHEMA_VERSION) {
                throw new SQLException("schema version " + version + " is newer than this monitor's " + SCHEMA_VERSION);
            }
            // Must precede the first table: later it needs a VACUUM to take effect.
            statement.execute("PRAGMA auto_vacuum = INCREMENTAL");
            String journal = single(statement, "PRAGMA journal_mode = WAL");
            if (!"wal".equalsIgnoreCase(journal)) {
                log.warn("state database {} could not use the WAL journal (it uses {})", path, journal);
            }
            statement.execute("PRAGMA synchronous = NORMAL");
            statement.execute("PRAGMA foreign_keys = ON");
            for (String table : SCHEMA) {
                statement.execute(table);
            }
            statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
        }
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    /** What {@link #load} read, and what it could not. */
    record Loaded(PersistedState state, int setAside) {
    }

    /**
     * Reads everything. A row that cannot be read is moved to {@code set_aside} with the reason, and
     * logged: the other rows still load.
     */
    Loaded load() throws SQLException {
        StateLoad.Read read = StateLoad.read(connection);
        for (StateLoad.UnreadableJob job : read.unreadableJobs()) {
            String what = "job " + job.jobId() + " of " + job.cluster();
            log.warn("state database {}: {} cannot be read ({}); moved it to the set_aside table", path, what, job.reason());
            setAside(what, job.body(), job.reason());
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM jobs WHERE group_id = ? AND cluster_name = ? AND job_id = ?")) {
                delete.setString(1, job.cluster().groupId());
                delete.setString(2, job.cluster().clusterName());
                delete.setString(3, job.jobId());
                delete.executeUpdate();
            }
        }
        for (StateLoad.UnreadableDocument document : read.unreadableDocuments()) {
            setAsideDocument(document.kind(), document.key(), document.reason());
        }
        return new Loaded(new PersistedState(read.clusters(), read.documents()), read.unreadableJobs().size());
    }

    /** Moves one document to {@code set_aside}, e.g. one its owner could not read; logs what was dropped. */
    void setAsideDocument(String kind, String key, String reason) throws SQLException {
        String body;
        try (PreparedStatement select = connection.prepareStatement("SELECT body FROM documents WHERE kind = ? AND key = ?")) {
            select.setString(1, kind);
            select.setString(2, key);
            try (ResultSet rows = select.executeQuery()) {
                body = rows.next() ? rows.getString(1) : null;
            }
        }
        String what = kind + " " + key;
        log.warn("state database {}: {} cannot be read ({}); moved it to the set_aside table", path, what, reason);
        setAside(what, body, reason);
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM documents WHERE kind = ? AND key = ?")) {
            delete.setString(1, kind);
            delete.setString(2, key);
            delete.executeUpdate();
        }
    }

    private void setAside(String what, String body, String reason) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO set_aside (set_aside_at, what, body, reason) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, InstantText.format(Instant.now()));
            insert.setString(2, what);
            insert.setString(3, body);
            insert.setString(4, reason);
            insert.executeUpdate();
        }
    }

    /** Writes the delta in one transaction: all of it, or (on an exception) none of it. */
    void apply(StateDelta delta) throws SQLException {
        if (delta.isEmpty()) {
            return;
        }
        durable(delta.touchesDocuments());
        connection.setAutoCommit(false);
        try {
            write(delta);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollback(e);
            throw e;
        }
        connection.setAutoCommit(true);
    }

    /** SQLite may have rolled back already (a full disk does): the original failure is the one to report. */
    private void rollback(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** {@code synchronous} can only change outside a transaction: set per write, and only when it differs. */
    private void durable(boolean full) throws SQLException {
        if (full != durable) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            }
            durable = full;
        }
    }

    private void write(StateDelta delta) throws SQLException {
        if (!delta.removedClusters().isEmpty()) {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM clusters WHERE group_id = ? AND cluster_name = ?")) {
                for (ClusterKey key : delta.removedClusters()) {
                    delete.setString(1, key.groupId());
                    delete.setString(2, key.clusterName());
                    delete.addBatch();
                }
                delete.executeBatch();
            }
        }
        if (!delta.clusters().isEmpty()) {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "INSERT INTO clusters (group_id, cluster_name, observed_at, first_polled_at) VALUES (?, ?, ?, ?) "
                            + "ON CONFLICT (group_id, cluster_name) DO UPDATE SET observed_at = excluded.observed_at, "
                            + "first_polled_at = excluded.first_polled_at")) {
                for (StateDelta.ClusterRow row : delta.clusters()) {
                    upsert.setString(1, row.key().groupId());
                    upsert.setString(2, row.key().clusterName());
                    setText(upsert, 3, row.observedAt() == null ? null : InstantText.format(row.observedAt()));
                    setText(upsert, 4, row.firstPolledAt() == null ? null : InstantText.format(row.firstPolledAt()));
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        }
        if (!delta.removedJobs().isEmpty()) {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM jobs WHERE group_id = ? AND cluster_name = ? AND job_id = ?")) {
                for (StateDelta.JobKey key : delta.removedJobs()) {
                    delete.setString(1, key.cluster().groupId());
                    delete.setString(2, key.cluster().clusterName());
                    delete.setString(3, key.jobId());
                    delete.addBatch();
                }
                delete.executeBatch();
            }
        }
        if (!delta.jobs().isEmpty()) {
            // An upsert, not INSERT OR REPLACE: the row keeps its rowid and is rewritten in place, one
            // table page, and the index on the key is not touched.
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO jobs (group_id, "
                    + "cluster_name, job_id, state, created_at, finished_at, first_seen, state_since, "
                    + "stuck_clock_start, stuck, left_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (group_id, cluster_name, job_id) DO UPDATE SET state = excluded.state, "
                    + "created_at = excluded.created_at, finished_at = excluded.finished_at, "
                    + "first_seen = excluded.first_seen, state_since = excluded.state_since, "
                    + "stuck_clock_start = excluded.stuck_clock_start, stuck = excluded.stuck, "
                    + "left_at = excluded.left_at, body = excluded.body")) {
                for (StateDelta.JobUpsert job : delta.jobs()) {
                    JobRow row = JobRow.of(job.cluster(), job.job(), job.leftAt());
                    upsert.setString(1, row.groupId());
                    upsert.setString(2, row.clusterName());
                    upsert.setString(3, row.jobId());
                    setText(upsert, 4, row.state());
                    setText(upsert, 5, row.createdAt());
                    setText(upsert, 6, row.finishedAt());
                    upsert.setString(7, row.firstSeen());
                    upsert.setString(8, row.stateSince());
                    upsert.setString(9, row.stuckClockStart());
                    upsert.setInt(10, row.stuck() ? 1 : 0);
                    setText(upsert, 11, row.leftAt());
                    upsert.setString(12, row.body());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        }
        if (!delta.removedDocuments().isEmpty()) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM documents WHERE kind = ? AND key = ?")) {
                for (StateDelta.DocumentKey key : delta.removedDocuments()) {
                    delete.setString(1, key.kind());
                    delete.setString(2, key.key());
                    delete.addBatch();
                }
                delete.executeBatch();
            }
        }
        if (!delta.documents().isEmpty()) {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "INSERT INTO documents (kind, key, body) VALUES (?, ?, ?) "
                            + "ON CONFLICT (kind, key) DO UPDATE SET body = excluded.body")) {
                for (StateDelta.DocumentRow row : delta.documents()) {
                    upsert.setString(1, row.kind());
                    upsert.setString(2, row.key());
                    upsert.setString(3, json(row));
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        }
    }

    private static String json(StateDelta.DocumentRow row) {
        try {
            return StateJson.MAPPER.writeValueAsString(row.value());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(row.kind() + " " + row.key() + " cannot be written as JSON", e);
        }
    }

    private static void setText(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    /** Returns the free pages of deleted rows to the file system, a few at a time (auto_vacuum=INCREMENTAL). */
    void releaseFreePages(int pages) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA incremental_vacuum(" + pages + ")");
        }
    }

    /** Rewrites the whole file compactly: {@code state vacuum}. */
    void vacuum() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM");
        }
    }

    /** Pages free inside the file, for deciding whether to release some. */
    int freePages() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return Integer.parseInt(single(statement, "PRAGMA freelist_count"));
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
