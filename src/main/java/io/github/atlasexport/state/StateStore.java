package io.github.atlasexport.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.atlasexport.config.MonitorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The durable state file ({@code state.path}). A save replaces the file atomically (write a temp
 * file beside it, fsync, rename), so after a crash the file holds either the old or the new state,
 * never half of one. A file that cannot be read is set aside, not deleted, and the monitor starts
 * empty: losing history is better than not starting, and the bad file stays for a post-mortem.
 */
public final class StateStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StateStore.class);
    /**
     * The writer rests this many times as long as a save took before the next one: at most a fifth of
     * a core, and of the disk's time, goes to saving. At 500,000 jobs a save writes some 400 MB and
     * takes seconds; states changing every second, and a new alert every second or so, would
     * otherwise keep a core busy rewriting the file back to back.
     */
    static final int REST_FACTOR = 4;
    /** Fewer, larger reads and writes than the JSON parser's and generator's own 8 KB chunks. */
    private static final int IO_BUFFER = 256 * 1024;
    private static final DateTimeFormatter ASIDE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path path;
    private final Path temp;
    private final Object fileLock = new Object();
    private final Scheduler scheduler;
    private final CoalescingWriter<Supplier<PersistedState>> writer;

    public StateStore(Path path) {
        this.path = requireNonNull(path, "path must not be null").toAbsolutePath();
        // A fixed temp name: a temp file left by a crash is overwritten by the next save, not accumulated.
        this.temp = this.path.resolveSibling(this.path.getFileName() + ".tmp");
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
     * Reads the state file. A missing file gives the empty state; so does an unreadable or invalid
     * one, after it is moved to {@code <name>.corrupt-<UTC timestamp>}. Throws only if the path is a
     * directory, which is a configuration mistake no restart will fix.
     */
    public PersistedState load() {
        if (Files.isDirectory(path)) {
            throw new IllegalStateException("state.path " + path + " is a directory, not a file");
        }
        synchronized (fileLock) {
            try {
                PersistedState state;
                try (InputStream in = new BufferedInputStream(Files.newInputStream(path), IO_BUFFER)) {
                    state = StateFormat.read(in);
                }
                log.info("Loaded state from {}: {} clusters", path, state.clusters().size());
                return state;
            } catch (NoSuchFileException e) {
                log.info("No state file at {}; starting with an empty state", path);
                return PersistedState.empty();
            } catch (IOException | RuntimeException e) {
                setAside(describe(e));
                return PersistedState.empty();
            }
        }
    }

    /**
     * Writes {@code state} atomically, creating parent directories. Blocking: call it from a thread
     * that may block, or use {@link #saveAsync}.
     *
     * @throws UncheckedIOException if the file could not be written; the previous file is then intact
     */
    public void save(PersistedState state) {
        requireNonNull(state, "state must not be null");
        synchronized (fileLock) {
            try {
                Files.createDirectories(path.getParent());
                writeSynced(state);
                replace();
                syncDirectory();
            } catch (IOException e) {
                deleteTemp();
                throw new UncheckedIOException("Could not write state file " + path + ": " + e, e);
            }
        }
    }

    /**
     * Saves on the "state-writer" thread; lazy, like any Mono. Saves that pile up while a write runs,
     * or while the writer rests after one ({@link #REST_FACTOR}), are coalesced: only the latest is
     * written, and never two at once. Completes (on the state-writer thread) once this state or a
     * later one is on disk; errors if that write failed.
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
     * writes this one without resting first ({@link #REST_FACTOR}), so that a shutdown does not
     * wait out a rest of many seconds at 500,000 jobs. Eager: submitted when called. Completes once
     * written; errors if that write failed. {@link #close} still stops the writer thread.
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

    /** Writes what is pending, then stops the writer thread. Later saveAsync calls fail. */
    @Override
    public void close() {
        writer.close();
        try {
            flush();
        } finally {
            scheduler.dispose();
        }
    }

    private void writeSynced(PersistedState state) throws IOException {
        // Only a regular file is ours to remove; anything else at the temp path makes the save fail.
        if (Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(temp);
        }
        try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), ownerOnly())) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), IO_BUFFER);
            StateFormat.write(state, out);
            out.flush();
            channel.force(true);
        }
    }

    private void replace() throws IOException {
        try {
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename itself durable. Best effort: not every platform can open a directory. */
    private void syncDirectory() {
        try (FileChannel directory = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("Could not fsync directory {}: {}", path.getParent(), e.toString());
        }
    }

    private void deleteTemp() {
        try {
            if (Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(temp);
            }
        } catch (IOException e) {
            log.warn("Could not remove temp file {}: {}", temp, e.toString());
        }
    }

    /** The state may hold alert payloads: keep it private to the monitor's user where the platform allows. */
    private FileAttribute<?>[] ownerOnly() {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    private void setAside(String problem) {
        String base = path.getFileName() + ".corrupt-" + ASIDE_STAMP.format(Instant.now());
        Path aside = path.resolveSibling(base);
        for (int n = 1; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); n++) {
            aside = path.resolveSibling(base + "-" + n);
        }
        try {
            Files.move(path, aside);
            log.warn("State file {} is unusable ({}); moved it to {} and starting with an empty state",
                    path, problem, aside);
        } catch (IOException e) {
            log.warn("State file {} is unusable ({}) and could not be moved aside ({}); starting with an empty "
                    + "state, the next save overwrites it", path, problem, e.toString());
        }
    }

    private static String describe(Exception e) {
        if (e instanceof JsonProcessingException json) {
            // The original message without Jackson's multi-line source excerpt, plus where it broke.
            var where = json.getLocation();
            return json.getOriginalMessage().lines().findFirst().orElse("invalid JSON")
                    + (where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr());
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
