package io.github.atlasexport.alert;

import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.coverage.BucketVerdict;
import io.github.atlasexport.coverage.ClusterCoverage;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.Discovery;
import io.github.atlasexport.monitor.Observation;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The rule state of every cluster, kept per cluster: an observation is evaluated against its own
 * cluster's {@link AlertState} alone, so its cost does not grow with the fleet (one global state
 * copied and compared per observation made a 10,000-cluster cycle quadratic). The rules stay the
 * pure {@link AlertRules}; this only files their results.
 *
 * <p>Updates of one cluster must not race each other (the monitor makes them under one lock, with
 * the job snapshots); reads ({@link #activeAlerts()}, {@link #partsByCluster()}) may come from any thread and
 * see each cluster's state whole.
 */
public final class AlertBook {
    private final ConcurrentMap<ClusterKey, AlertState> byCluster = new ConcurrentHashMap<>();

    private AlertBook() {
    }

    /** A book holding {@code state}, e.g. as restored from the state store. */
    public static AlertBook of(AlertState state) {
        AlertBook book = new AlertBook();
        book.byCluster.putAll(requireNonNull(state, "state must not be null").byCluster());
        return book;
    }

    /** {@link #evaluate(Observation, Instant, MonitorConfig.Alerts, MonitorConfig.Stuck, String)} without a project name. */
    public Change evaluate(Observation observation, Instant now, MonitorConfig.Alerts config,
                           MonitorConfig.Stuck stuck) {
        return evaluate(observation, now, config, stuck, null);
    }

    /**
     * Evaluates one observation against its cluster's state and files the next state.
     *
     * @param projectName the project's name for the alert text, or null if not known (the group id alone)
     */
    public Change evaluate(Observation observation, Instant now, MonitorConfig.Alerts config,
                           MonitorConfig.Stuck stuck, String projectName) {
        ClusterKey cluster = observation.cluster();
        AlertState previous = byCluster.getOrDefault(cluster, AlertState.empty());
        return file(cluster, previous, AlertRules.evaluate(previous, observation, now, config, stuck, projectName));
    }

    /** Evaluates one cluster discovery of a {@code "*"} target against its project's discovery state. */
    public Change evaluate(Discovery discovery, Instant now, MonitorConfig.Threshold targetDown) {
        ClusterKey key = AlertRules.discoveryKey(discovery.groupId());
        AlertState previous = byCluster.getOrDefault(key, AlertState.empty());
        return file(key, previous, AlertRules.evaluateDiscovery(previous, discovery, now, targetDown));
    }

    /** Evaluates one cluster's coverage ({@code AtlasExportOverdue}) against its state. */
    public Change evaluate(ClusterCoverage coverage, Instant now, MonitorConfig.Overdue config, String projectName) {
        ClusterKey cluster = coverage.cluster();
        AlertState previous = byCluster.getOrDefault(cluster, AlertState.empty());
        return file(cluster, previous, AlertRules.evaluateCoverage(previous, coverage, now, config, projectName));
    }

    /** Evaluates a project's buckets ({@code AtlasExportBucketFailing}), filed under its discovery key. */
    public Change evaluateBuckets(String groupId, List<BucketVerdict> verdicts, Map<String, String> bucketNames,
                                  Instant now, MonitorConfig.BucketFailing config, String projectName) {
        ClusterKey key = AlertRules.discoveryKey(groupId);
        AlertState previous = byCluster.getOrDefault(key, AlertState.empty());
        return file(key, previous, AlertRules.evaluateBuckets(previous, groupId, verdicts, bucketNames, now, config,
                projectName));
    }

    /** The cluster is no longer polled: resolves what it had firing (see {@link AlertRules#forgetCluster}). */
    public Change forget(ClusterKey cluster, Instant now) {
        AlertState previous = byCluster.getOrDefault(cluster, AlertState.empty());
        return file(cluster, previous, AlertRules.forgetCluster(previous, cluster, now));
    }

    private Change file(ClusterKey cluster, AlertState previous, RuleResult result) {
        AlertState next = result.next().equals(previous) ? previous : result.next();
        if (next.isEmpty()) {
            byCluster.remove(cluster);
        } else {
            byCluster.put(cluster, next);
        }
        return new Change(result.notices(), !next.equals(previous));
    }

    /**
     * Clusters the rules are watching: observed, and not forgotten since. (A forgotten cluster keeps
     * only its once-only marks, so that its job alerts do not repeat should it come back.)
     */
    public Set<ClusterKey> clusters() {
        return byCluster.entrySet().stream()
                .filter(entry -> !entry.getValue().clusters().isEmpty())
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Firing alerts of every cluster, oldest first, for {@code /api/v1/alerts}, the status page and keep-alives. */
    public List<ActiveAlert> activeAlerts() {
        return byCluster.values().stream()
                .flatMap(state -> state.active().values().stream())
                .sorted(AlertState.OLDEST_FIRST)
                .toList();
    }

    /**
     * Each cluster's state as it is now, for the state store: an unchanged cluster keeps its state
     * object, so the store can tell cheaply what to write again. (A hash map, not {@code Map.copyOf}:
     * its probing calls {@code equals} on every slot it passes, a third of a save at 10,000 clusters.)
     */
    public Map<ClusterKey, AlertState> partsByCluster() {
        return Collections.unmodifiableMap(new HashMap<>(byCluster));
    }

    /** One cluster's state as it is now; empty if the rules hold nothing for it. */
    public AlertState stateOf(ClusterKey cluster) {
        return byCluster.getOrDefault(cluster, AlertState.empty());
    }

    /**
     * What one evaluation did.
     *
     * @param notices to deliver
     * @param changed the cluster's rule state changed (worth saving even without notices: clocks too)
     */
    public record Change(List<AlertNotice> notices, boolean changed) {
        public Change {
            notices = List.copyOf(notices);
        }
    }
}
