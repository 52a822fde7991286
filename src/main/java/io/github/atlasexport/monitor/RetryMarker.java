package io.github.atlasexport.monitor;

import io.github.atlasexport.atlas.ExportJob;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code customData} entry a re-created export carries: {@code atlas-export-monitor.retryOf} = the
 * original job's id. It lives in Atlas's own data, so every replica, every restart and every reader
 * ({@code /api/v1/jobs}, the status page) can tell a retry and its original apart without any state.
 */
public final class RetryMarker {
    public static final String KEY = "atlas-export-monitor.retryOf";

    private RetryMarker() {
    }

    /** The original job a retry was made for; empty for a job the monitor did not create. */
    public static Optional<String> retryOf(ExportJob job) {
        return job.customData().stream()
                .filter(entry -> KEY.equals(entry.key()) && entry.value() != null && !entry.value().isBlank())
                .map(ExportJob.CustomData::value)
                .findFirst();
    }

    /** The jobs among {@code jobs} made as retries of {@code originalId}, in the order given. */
    public static List<ExportJob> retriesOf(String originalId, Collection<ExportJob> jobs) {
        List<ExportJob> retries = new ArrayList<>();
        for (ExportJob job : jobs) {
            if (retryOf(job).filter(originalId::equals).isPresent()) {
                retries.add(job);
            }
        }
        return retries;
    }

    /** Per original job id, the ids of its retries among {@code jobs}, oldest first. */
    public static Map<String, List<String>> retriedAs(Collection<ExportJob> jobs) {
        Map<String, List<String>> byOriginal = new HashMap<>();
        jobs.stream()
                .sorted(Comparator.comparing(ExportJob::createdAt,
                        Comparator.nullsFirst(Comparator.naturalOrder())))
                .forEach(job -> retryOf(job).ifPresent(original ->
                        byOriginal.computeIfAbsent(original, id -> new ArrayList<>()).add(job.id())));
        return byOriginal;
    }

    /** The original's custom data plus the marker (an old marker replaced: a retry of a retry names the original). */
    public static List<ExportJob.CustomData> mark(List<ExportJob.CustomData> original, String originalId) {
        List<ExportJob.CustomData> marked = new ArrayList<>();
        for (ExportJob.CustomData entry : original) {
            if (!KEY.equals(entry.key())) {
                marked.add(entry);
            }
        }
        marked.add(new ExportJob.CustomData(KEY, originalId));
        return marked;
    }
}
