package io.github.atlasexport.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.atlasexport.atlas.InstantText;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.DepartedJob;
import io.github.atlasexport.monitor.TrackedJob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state file's JSON layout, version 1. Kept apart from the in-memory records so the file can
 * stay stable while they evolve: clusters are keyed {@code "groupId/clusterName"} (a cluster name
 * cannot contain a slash), a cluster's jobs are a list in the snapshot's order, and maps and sets
 * are written sorted so the same state always gives the same bytes.
 */
final class StateFormat {

    static final int VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(InstantText.jacksonModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // An additive field written by a newer monitor must not cost an older one its state.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // The store forces the file to disk after the write: it must still be open then.
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    record StateFile(int version, Map<String, ClusterFile> clusters, JsonNode alerts) {
    }

    /**
     * @param firstPolledAt absent from files written before it was kept (see {@link #snapshot})
     * @param departed      jobs missing from the latest list, still remembered; absent from files written
     *                      before they were kept, which load with none
     */
    record ClusterFile(Instant observedAt, Instant firstPolledAt, List<TrackedJob> jobs,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) List<DepartedJob> departed) {
    }

    private StateFormat() {
    }

    /**
     * Streams the state to {@code out}, which stays open. Streamed rather than built as one array: at
     * 500,000 jobs the file is some 400 MB, and an array of it (doubled while it grows) would be the
     * monitor's largest use of heap.
     */
    static void write(PersistedState state, OutputStream out) throws IOException {
        Map<String, ClusterFile> clusters = new TreeMap<>();
        state.clusters().forEach((key, snapshot) -> clusters.put(key.toString(),
                new ClusterFile(snapshot.observedAt(), snapshot.firstPolledAt(), List.copyOf(snapshot.jobs().values()),
                        List.copyOf(snapshot.departed().values()))));
        MAPPER.writeValue(out, new StateFile(VERSION, clusters, state.alerts()));
    }

    /**
     * Reads the file as a stream (the caller closes it): at 500,000 jobs it is some 400 MB, which
     * read into one array first would be the largest allocation of a restart.
     *
     * @throws IOException if the bytes are not a valid version-1 state file; the message says why
     */
    static PersistedState read(InputStream in) throws IOException {
        StateFile file = MAPPER.readValue(in, StateFile.class);
        if (file.version() != VERSION) {
            throw new IOException("unsupported version " + file.version() + " (this monitor reads version " + VERSION + ")");
        }
        Map<ClusterKey, ClusterSnapshot> clusters = new HashMap<>();
        if (file.clusters() != null) {
            for (Map.Entry<String, ClusterFile> entry : file.clusters().entrySet()) {
                ClusterKey key = parseKey(entry.getKey());
                clusters.put(key, snapshot(key, entry.getValue()));
            }
        }
        return new PersistedState(clusters, file.alerts());
    }

    private static ClusterKey parseKey(String key) throws IOException {
        int slash = key.indexOf('/');
        if (slash <= 0 || slash == key.length() - 1) {
            throw new IOException("cluster key \"" + key + "\" is not groupId/clusterName");
        }
        return new ClusterKey(key.substring(0, slash), key.substring(slash + 1));
    }

    private static ClusterSnapshot snapshot(ClusterKey key, ClusterFile file) throws IOException {
        if (file == null) {
            throw new IOException("cluster " + key + " has no body");
        }
        Map<String, TrackedJob> jobs = new LinkedHashMap<>();
        for (TrackedJob job : file.jobs() == null ? List.<TrackedJob>of() : file.jobs()) {
            if (job == null || job.id() == null) {
                throw new IOException("cluster " + key + " has a job without an id");
            }
            jobs.put(job.id(), job);
        }
        Map<String, DepartedJob> departed = new LinkedHashMap<>();
        for (DepartedJob gone : file.departed() == null ? List.<DepartedJob>of() : file.departed()) {
            if (gone == null || gone.job().id() == null) {
                throw new IOException("cluster " + key + " has a departed job without an id");
            }
            departed.put(gone.job().id(), gone);
        }
        return new ClusterSnapshot(key, jobs, file.observedAt(), firstPolledAt(file, jobs.values()), departed);
    }

    /**
     * An older file lacks it: the earliest first sighting of a job still listed is the first poll
     * whenever one of that poll's jobs is left, and never earlier than it.
     */
    private static Instant firstPolledAt(ClusterFile file, Collection<TrackedJob> jobs) {
        if (file.observedAt() == null || file.firstPolledAt() != null) {
            return file.observedAt() == null ? null : file.firstPolledAt();
        }
        return jobs.stream().map(TrackedJob::firstSeen).min(Comparator.naturalOrder())
                .filter(earliest -> earliest.isBefore(file.observedAt()))
                .orElse(file.observedAt());
    }
}
