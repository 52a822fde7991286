package io.github.atlasexport.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.config.MonitorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The durable state ({@code state.path}): a SQLite database written by one "state-writer" thread. A
 * save writes only the rows that changed since the last successful save ({@link StateDelta}), in
 * one transaction, so a job's new state and the alert it raised are kept together or not at all. A
 * failed write (full disk, read-only directory) changes nothing: the next save writes the same rows
 * again, and more.
 *
 * <p>A database that cannot be opened is set aside, not deleted, and the monitor starts empty: losing
 * history is better than not starting, and the bad file stays for a post-mortem. A JSON state file of
 * the earlier format, at the path itself or beside it as {@code *.json}, is imported once and renamed
 * {@code *.imported}; its alerting part is kept as the {@link #LEGACY_ALERTS} document for the
 * runtime to convert, so that an import and the alerts it carries commit together.
 */
public final class StateStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StateStore.class);
    /** Document kind holding an imported JSON file's alerting part, under the key {@link #LEGACY_ALERTS_KEY}. */
    public static final String LEGACY_ALERTS = "legacy-alerts";
    public static final String LEGACY_ALERTS_KEY = "alerts";
    /**
     * The writer rests as long as its last write took before the next one: at most half a core goes
     * to saving however often states change, and saves coalesce meanwhile.
     */
    static final int REST_FACTOR = 1;
    /** Free pages above this are handed back to the file system after a write (deleted history). */
    private static final int FREE_PAGES_KEPT = 1024;
    private static final DateTimeFormatter ASIDE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path path;
    private final Scheduler scheduler;
    private final CoalescingWriter<Supplier<PersistedState>> writer;
    private final AtomicLong writeErrors = new AtomicLong();
    private final AtomicLong rowsWritten = new AtomicLong();
    private volatile Instant lastWriteSuccess;
    private StateDatabase database;
    /** What the database holds: the state of the last successful write (or of the load). Writer thread only. */
    private PersistedState written = PersistedState.empty();

    public StateStore(Path path) {
        this.path = requireNonNull(path, "path must not be null").toAbsolutePath();
        this.scheduler = Schedulers.newBoundedElastic(1, 16, "state-writer", 60, true);
        this.writer = new CoalescingWriter<>(state -> save(state.get()), scheduler, REST_FACTOR);
    }

    public static StateStore create(MonitorConfig.State config) {
        requireNonNull(config, "config must not be null");
        return new StateStore(config.path());
    }

    public Path path() {
        return path;
    }

    /**
     * Opens the database and reads it; imports a JSON state file of the earlier format first. An
     * unusable database is moved to {@code <name>.corrupt-<UTC timestamp>} and the state starts empty.
     * Blocking: call it once, at start.
     *
     * @throws IllegalStateException if the path is a directory, or its directory cannot be created or
     *                               written: configuration mistakes no restart will fix
     */
    public PersistedState load() {
        if (Files.isDirectory(path)) {
            throw new IllegalStateException("state.path " + path + " is a directory, not a file");
        }
        try {
            Files.createDirectories(path.getParent());
        } catch (IOException e) {
            throw new IllegalStateException("state.path " + path + ": cannot create its directory: " + e, e);
        }
        LegacyImport.run(path);
        createOwnerOnly(path);
        try {
            database = StateDatabase.open(path);
        } catch (SQLException e) {
            setAside(e.getMessage());
            try {
                database = StateDatabase.open(path);
            } catch (SQLException again) {
                throw new IllegalStateException("state.path " + path + ": cannot create the database: "
                        + again.getMessage(), again);
            }
        }
        try {
            PersistedState state = database.load().state();
            written = state;
            log.info("Loaded state from {}: {} clusters, {} jobs", path, state.clusters().size(),
                    state.clusters().values().stream().mapToInt(snapshot -> snapshot.jobs().size()).sum());
            return state;
        } catch (SQLException | RuntimeException e) {
            throw new IllegalStateException("state.path " + path + ": cannot read the database: " + e.getMessage(), e);
        }
    }

    /**
     * Moves one document its owner could not read to the {@code set_aside} table, with the reason, so
     * that the rest loads and the row stays for a post-mortem. Blocking: at start, after {@link #load}.
     */
    public void setAside(String kind, String key, String reason) {
        try {
            database.setAsideDocument(kind, key, reason);
            Map<String, Map<String, Object>> documents = new java.util.HashMap<>(written.documents());
            Map<String, Object> ofKind = new java.util.HashMap<>(written.documents(kind));
            ofKind.remove(key);
            documents.put(kind, ofKind);
            written = new PersistedState(written.clusters(), documents);
        } catch (SQLException e) {
            log.warn("could not set aside {} {}: {}", kind, key, e.getMessage());
        }
    }

    /**
     * Writes what changed since the last successful write. Blocking: call it from a thread that may
     * block, or use {@link #saveAsync}.
     *
     * @throws UncheckedIOException if the write failed; the database then still holds the last state
     *                              written, and the next save writes these rows again
     */
    public void save(PersistedState state) {
        requireNonNull(state, "state must not be null");
        if (database == null) {
            throw new IllegalStateException("load() the state before saving");
        }
        StateDelta delta = StateDelta.between(written, state);
        try {
            database.apply(delta);
            written = state;
            rowsWritten.addAndGet(delta.rows());
            lastWriteSuccess = Instant.now();
            releaseFreePages();
        } catch (SQLException | RuntimeException e) {
            writeErrors.incrementAndGet();
            throw new UncheckedIOException("Could not write state database " + path + ": " + e.getMessage(),
                    new IOException(e));
        }
    }

    /**
     * The state holds alert payloads: a new database is made private to the monitor's user where the
     * platform allows (SQLite gives its -wal and -shm files the database's permissions). An empty
     * file is an empty database to SQLite.
     */
    static void createOwnerOnly(Path file) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
        } catch (IOException e) {
            log.debug("could not create {} owner-only: {}", file, e.toString()); // SQLite creates it then
        }
    }

    private void releaseFreePages() {
        try {
            int free = database.freePages();
            if (free > FREE_PAGES_KEPT) {
                database.releaseFreePages(free - FREE_PAGES_KEPT);
            }
        } catch (SQLException e) {
            log.debug("could not release free pages of {}: {}", path, e.getMessage());
        }
    }

    /**
     * Saves on the "state-writer" thread; lazy, like any Mono. Saves that pile up while a write runs,
     * or while the writer rests after one ({@link #REST_FACTOR}), are coalesced: only the latest is
     * written, and never two at once. Completes (on the state-writer thread) once this state or a
     * later one is written; errors if that write failed.
     */
    public Mono<Void> saveAsync(PersistedState state) {
        requireNonNull(state, "state must not be null");
        return writer.submit(() -> state);
    }

    /**
     * Like {@link #saveAsync(PersistedState)}, but the state is taken on the state-writer thread when
     * its write begins: a burst of saves then costs one snapshot, not one each on the callers'
     * threads, and what is written is at least as new as the moment of the call.
     */
    public Mono<Void> saveAsync(Supplier<PersistedState> state) {
        requireNonNull(state, "state must not be null");
        return writer.submit(state);
    }

    /**
     * Saves {@code state} as the last one, for shutdown: the writer takes no further saves and
     * writes this one without resting first. Eager: submitted when called. Completes once written;
     * errors if that write failed. {@link #close} still stops the writer thread.
     */
    public Mono<Void> saveLast(Supplier<PersistedState> state) {
        requireNonNull(state, "state must not be null");
        Mono<Void> saved = writer.submit(state).cache();
        saved.subscribe(done -> { }, error -> { }); // the caller gets the outcome from the returned Mono
        writer.close();
        return saved;
    }

    /**
     * Blocks until every state handed to {@link #saveAsync} so far is written, for shutdown.
     *
     * @throws RuntimeException the failure of the last write, if it failed
     */
    public void flush() {
        writer.whenIdle().block();
    }

    /** Writes that failed since start: {@code atlas_export_state_write_errors_total}. */
    public long writeErrors() {
        return writeErrors.get();
    }

    /** The end of the last successful write, or null: {@code atlas_export_state_last_write_success_timestamp_seconds}. */
    public Instant lastWriteSuccess() {
        return lastWriteSuccess;
    }

    /** Rows inserted, replaced or deleted since start: what the saves cost. */
    public long rowsWritten() {
        return rowsWritten.get();
    }

    /** Writes what is pending, then stops the writer thread and closes the database. Later saves fail. */
    @Override
    public void close() {
        writer.close();
        try {
            flush();
        } finally {
            scheduler.dispose();
            closeDatabase();
        }
    }

    private void closeDatabase() {
        if (database != null) {
            try {
                database.close();
            } catch (SQLException e) {
                log.debug("closing {}: {}", path, e.getMessage());
            }
        }
    }

    /**
     * Rewrites the database at {@code path} compactly ({@code state vacuum}); the monitor keeps the
     * file small by itself, this also defragments it. Blocking.
     *
     * @return the file's size before and after, in bytes
     */
    public static long[] vacuum(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "no state database there");
        }
        long before = Files.size(path);
        try (StateDatabase database = StateDatabase.open(path)) {
            database.vacuum();
        } catch (SQLException e) {
            throw new IOException("cannot vacuum " + path + ": " + e.getMessage(), e);
        }
        return new long[]{before, Files.size(path)};
    }

    private void setAside(String problem) {
        String base = path.getFileName() + ".corrupt-" + ASIDE_STAMP.format(Instant.now());
        Path aside = path.resolveSibling(base);
        for (int n = 1; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); n++) {
            aside = path.resolveSibling(base + "-" + n);
        }
        try {
            Files.move(path, aside);
            for (String journal : new String[]{"-wal", "-shm"}) {
                Path file = path.resolveSibling(path.getFileName() + journal);
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(file, aside.resolveSibling(aside.getFileName() + journal), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            log.error("State database {} is unusable ({}); moved it to {} and starting with an empty state",
                    path, problem, aside);
        } catch (IOException e) {
            throw new IllegalStateException("state database " + path + " is unusable (" + problem
                    + ") and could not be moved aside: " + e, e);
        }
    }

    /** True if the file starts (after white space) with '{': a JSON state file, not SQLite's header. */
    static boolean isJson(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            int b;
            do {
                b = in.read();
            } while (b == ' ' || b == '\n' || b == '\r' || b == '\t');
            return b == '{';
        } catch (IOException e) {
            return false;
        }
    }

    /** The document an import leaves for the runtime (see {@link #LEGACY_ALERTS}), or null. */
    public static JsonNode legacyAlerts(PersistedState state) {
        Object alerts = state.documents(LEGACY_ALERTS).get(LEGACY_ALERTS_KEY);
        return alerts instanceof JsonNode node ? node : null;
    }
}
