package io.github.atlasexport.state;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON state file of the earlier monitors (format version 1), read once to import it
 * ({@link LegacyImport}): clusters keyed {@code "groupId/clusterName"}, a cluster's jobs a list, and
 * the alerting part an opaque document.
 */
final class StateFormat {

    static final int VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(InstantText.jacksonModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // An additive field written by a newer monitor must not cost an older one its state.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Where {@link #read} files the alerting part: kind and key. */
    private static final String ALERTS = "alerts";

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
        JsonNode alerts = file.alerts() == null || file.alerts().isNull() ? null : file.alerts();
        return new PersistedState(clusters, alerts == null ? Map.of() : Map.of(ALERTS, Map.of(ALERTS, alerts)));
    }

    /** The alerting part of a state {@link #read} gave, or null. */
    static JsonNode legacyAlerts(PersistedState state) {
        return (JsonNode) state.documents(ALERTS).get(ALERTS);
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
