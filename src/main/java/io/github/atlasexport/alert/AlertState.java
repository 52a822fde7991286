package io.github.atlasexport.alert;

import io.github.atlasexport.monitor.ClusterKey;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Everything the rules remember between observations. Immutable; the caller keeps the latest one
 * and persists it with the outbox so a restart neither repeats a one-shot alert nor forgets to
 * resolve a firing one. Plain records, so it round-trips through Jackson as is.
 *
 * @param active   alerts firing now (conditions, not one-shot alerts), by alert key
 * @param fired    keys of one-shot job alerts already sent: a job alerts once, ever
 * @param clusters per-cluster clocks the rules need
 */
public record AlertState(Map<String, ActiveAlert> active, Set<String> fired, List<ClusterTimes> clusters) {

    /**
     * @param firstObserved when the monitor first polled the cluster (ok or not): the reference for
     *                      "no recent success" while the cluster has no successful job
     * @param failingSince  first failed poll of the current run of failures; null while polls succeed
     */
    public record ClusterTimes(ClusterKey cluster, Instant firstObserved, Instant failingSince) {
        public ClusterTimes {
            requireNonNull(cluster, "cluster must not be null");
            requireNonNull(firstObserved, "firstObserved must not be null");
        }
    }

    public AlertState {
        active = active == null ? Map.of() : Map.copyOf(active);
        fired = fired == null ? Set.of() : Set.copyOf(fired);
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
    }

    public static AlertState empty() {
        return new AlertState(Map.of(), Set.of(), List.of());
    }

    /** Firing alerts, oldest first, for {@code /api/v1/alerts} and the status page. */
    public List<ActiveAlert> activeAlerts() {
        return active.values().stream()
                .sorted(Comparator.comparing(ActiveAlert::startsAt).thenComparing(ActiveAlert::alertname))
                .toList();
    }
}
