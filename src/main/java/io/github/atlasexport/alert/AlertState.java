package io.github.atlasexport.alert;

import io.github.atlasexport.monitor.ClusterKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
    /** The order of {@code /api/v1/alerts} and the status page. */
    static final Comparator<ActiveAlert> OLDEST_FIRST =
            Comparator.comparing(ActiveAlert::startsAt).thenComparing(ActiveAlert::alertname);

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
        return active.values().stream().sorted(OLDEST_FIRST).toList();
    }

    /**
     * This state cut into one state per cluster, each holding only that cluster's alerts, marks and
     * clocks: what {@link AlertRules} needs to evaluate one observation of the cluster. Every key
     * names its cluster ({@code alertname/groupId/clusterName/...}); one that does not (a hand-edited
     * file) cannot belong to any cluster's rules and is left out.
     */
    public Map<ClusterKey, AlertState> byCluster() {
        Map<ClusterKey, Parts> parts = new HashMap<>();
        active.forEach((key, alert) -> {
            ClusterKey cluster = AlertRules.clusterOf(key);
            if (cluster != null) {
                parts.computeIfAbsent(cluster, c -> new Parts()).active.put(key, alert);
            }
        });
        for (String key : fired) {
            ClusterKey cluster = AlertRules.clusterOf(key);
            if (cluster != null) {
                parts.computeIfAbsent(cluster, c -> new Parts()).fired.add(key);
            }
        }
        for (ClusterTimes times : clusters) {
            parts.computeIfAbsent(times.cluster(), c -> new Parts()).clusters.add(times);
        }
        Map<ClusterKey, AlertState> split = new HashMap<>();
        parts.forEach((cluster, part) -> split.put(cluster, part.state()));
        return split;
    }

    /** The states of distinct clusters as one; clusters sorted, so the same parts give the same state store. */
    public static AlertState merge(Collection<AlertState> parts) {
        Map<String, ActiveAlert> active = new HashMap<>();
        Set<String> fired = new HashSet<>();
        Map<ClusterKey, ClusterTimes> clusters = new TreeMap<>();
        for (AlertState part : parts) {
            active.putAll(part.active());
            fired.addAll(part.fired());
            part.clusters().forEach(times -> clusters.put(times.cluster(), times));
        }
        return new AlertState(active, fired, new ArrayList<>(clusters.values()));
    }

    boolean isEmpty() {
        return active.isEmpty() && fired.isEmpty() && clusters.isEmpty();
    }

    private static final class Parts {
        final Map<String, ActiveAlert> active = new HashMap<>();
        final Set<String> fired = new HashSet<>();
        final List<ClusterTimes> clusters = new ArrayList<>(1);

        AlertState state() {
            return new AlertState(active, fired, clusters);
        }
    }
}
