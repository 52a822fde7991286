package io.github.atlasexport.runtime;

import io.github.atlasexport.atlas.AtlasApiException;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.Discovery;
import io.github.atlasexport.monitor.JobEvent;
import io.github.atlasexport.monitor.Observation;
import io.github.atlasexport.monitor.TrackedJob;
import org.slf4j.event.Level;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What operators read about each poll, decided apart from the logging itself. A fleet's first poll is
 * one line per cluster (the jobs it already had are detail), a failing cluster is reported when it goes
 * down or its error changes rather than on every poll, and its way back up is reported once.
 * The same for the cluster discovery of a {@code "*"} target. Remembers the error each was last
 * reported down with; fed each one's outcomes in order.
 */
final class PollLog {
    record Line(Level level, String text) {
    }

    /**
     * What is down (a {@link ClusterKey}, or the group id of a project whose clusters cannot be
     * discovered) to the {@link #signature} of the error it is down with; what is absent is up.
     */
    private final ConcurrentMap<Object, String> down = new ConcurrentHashMap<>();

    /** The lines for one observation; {@code projectName} may be null (not listed yet). */
    List<Line> lines(Observation observation, String projectName) {
        String where = where(observation.cluster(), projectName);
        List<Line> lines = new ArrayList<>();
        if (!observation.succeeded()) {
            lines.add(failed(observation.cluster(), where, observation.error()));
            return lines;
        }
        if (down.remove(observation.cluster()) != null) {
            lines.add(new Line(Level.INFO, where + " is up again"));
        }
        if (firstPoll(observation.snapshot())) {
            lines.add(new Line(Level.INFO, where + ": first poll, " + jobCounts(observation.snapshot())));
        }
        for (JobEvent event : observation.events()) {
            lines.add(new Line(detail(event) ? Level.DEBUG : Level.INFO, EventText.describe(event)));
        }
        return lines;
    }

    /** The line for a cluster discovery of a {@code "*"} target, if it is news: a failure, a new error, a recovery. */
    List<Line> lines(Discovery discovery, String projectName) {
        String where = "cluster discovery of project " + (projectName != null ? projectName : discovery.groupId());
        if (!discovery.succeeded()) {
            return List.of(failed(discovery.groupId(), where, discovery.error()));
        }
        return down.remove(discovery.groupId()) != null ? List.of(new Line(Level.INFO, where + " is up again")) : List.of();
    }

    /** WARN when {@code what} goes down or its error changes; DEBUG while it stays down with the same one. */
    private Line failed(Object what, String where, Throwable error) {
        String signature = signature(error);
        String before = down.put(what, signature);
        boolean same = signature.equals(before);
        String state = before == null ? " is down: " : same ? " still down: " : " still down, now: ";
        return new Line(same ? Level.DEBUG : Level.WARN, where + state + message(error) + hint(error));
    }

    private static String message(Throwable error) {
        return error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
    }

    /** A cluster that left: if it comes back, its first failure is news again. */
    void forget(ClusterKey cluster) {
        down.remove(cluster);
    }

    /** Progress moves on every active poll, and the jobs found by a first poll are in its summary. */
    private static boolean detail(JobEvent event) {
        return event instanceof JobEvent.ProgressChanged
                || event instanceof JobEvent.JobSeen seen && seen.baseline();
    }

    private static boolean firstPoll(ClusterSnapshot snapshot) {
        return snapshot.observedAt() != null && snapshot.observedAt().equals(snapshot.firstPolledAt());
    }

    static String where(ClusterKey cluster, String projectName) {
        return cluster.clusterName() + " in project " + (projectName != null ? projectName : cluster.groupId());
    }

    /** "50 jobs (3 InProgress, 45 Successful, 2 Failed)": documented states in lifecycle order, then the others. */
    static String jobCounts(ClusterSnapshot snapshot) {
        Map<String, Integer> byState = new LinkedHashMap<>();
        ExportState.DOCUMENTED.forEach(state -> byState.put(state, 0));
        for (TrackedJob job : snapshot.jobs().values()) {
            byState.merge(String.valueOf(job.state()), 1, Integer::sum);
        }
        StringJoiner counts = new StringJoiner(", ", " (", ")").setEmptyValue("");
        byState.forEach((state, count) -> {
            if (count > 0) {
                counts.add(count + " " + state);
            }
        });
        int total = snapshot.jobs().size();
        return total + (total == 1 ? " job" : " jobs") + counts;
    }

    /** What makes two failures the same one: the status and errorCode, not a detail that may hold a time. */
    private static String signature(Throwable error) {
        return error instanceof AtlasApiException atlas
                ? atlas.status() + " " + atlas.errorCode()
                : error.getClass().getName();
    }

    /** The likely cause of the common refusals, for the operator who has to fix it. */
    static String hint(Throwable error) {
        if (!(error instanceof AtlasApiException atlas)) {
            return "";
        }
        String code = atlas.errorCode() == null ? "" : atlas.errorCode();
        String hint = switch (atlas.status()) {
            case 401 -> "check the API key (or service account) and the IP access list";
            case 403 -> code.contains("ACCESS_LIST")
                    ? "add the monitor's address to the API key's IP access list"
                    : "the API key needs the Project Backup Manager role on this project to list and get export jobs";
            case 404 -> code.equals("CLUSTER_NOT_FOUND") ? "is the cluster name right?"
                    : code.startsWith("GROUP_") || code.contains("PROJECT") ? "is the project's groupId right?" : null;
            case 429 -> "Atlas's rate limit: lower atlas.requestsPerMinute or poll less often";
            case 0 -> "can the monitor reach atlas.baseUrl?";
            default -> null;
        };
        return hint == null ? "" : " (" + hint + ")";
    }
}
