package io.github.atlasexport.alert;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.Discovery;
import io.github.atlasexport.monitor.JobEvent;
import io.github.atlasexport.monitor.Observation;
import io.github.atlasexport.monitor.TrackedJob;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The alert rules of SPEC section 6 as a pure function: previous state plus one observation gives
 * the next state and the notices to send. No I/O, no clock: {@code now} is an argument. An
 * evaluation reads and changes only the observed cluster's part of the state, so the state given may
 * be that cluster's part alone ({@link AlertBook} keeps one per cluster).
 */
public final class AlertRules {
    static final String GROUP_ID = "group_id";
    static final String CLUSTER_NAME = "cluster_name";
    static final String JOB_ID = "job_id";
    static final String STATE = "state";

    private AlertRules() {
    }

    /**
     * @param stuck the stuck thresholds of the observed cluster (its target's override, else the global ones)
     */
    public static RuleResult evaluate(AlertState previous, Observation observation, Instant now,
                                      MonitorConfig.Alerts config, MonitorConfig.Stuck stuck) {
        requireNonNull(previous, "previous must not be null");
        requireNonNull(observation, "observation must not be null");
        requireNonNull(now, "now must not be null");
        requireNonNull(config, "config must not be null");
        requireNonNull(stuck, "stuck must not be null");
        Evaluation evaluation = new Evaluation(previous, observation.cluster());
        evaluation.observed(observation.at());
        if (observation.succeeded()) {
            for (JobEvent event : observation.events()) {
                evaluation.jobEvent(event, config, stuck);
            }
            evaluation.resolveStuckThatEnded(observation, now);
            evaluation.targetUp(now);
            evaluation.noRecentSuccess(observation, now, config.noRecentSuccess());
        } else {
            evaluation.targetFailing(observation.at(), observation.error(), now, config.targetDown());
        }
        return evaluation.result();
    }

    /**
     * One cluster discovery of a {@code "*"} target: {@code AtlasExportTargetDown} for the project, with
     * an empty {@code cluster_name}, once discoveries have failed for {@code targetDown.after}; resolved
     * by the next one that succeeds. Its state is filed under {@link #discoveryKey}.
     */
    public static RuleResult evaluateDiscovery(AlertState previous, Discovery discovery, Instant now,
                                               MonitorConfig.Threshold targetDown) {
        requireNonNull(previous, "previous must not be null");
        requireNonNull(discovery, "discovery must not be null");
        requireNonNull(now, "now must not be null");
        requireNonNull(targetDown, "targetDown must not be null");
        Evaluation evaluation = new Evaluation(previous, discoveryKey(discovery.groupId()));
        evaluation.observed(discovery.at());
        if (discovery.succeeded()) {
            evaluation.targetUp(now);
        } else {
            evaluation.targetFailing(discovery.at(), discovery.error(), now, targetDown);
        }
        return evaluation.result();
    }

    /** Where the rules keep a project's discovery: a cluster with an empty name, which no real cluster has. */
    public static ClusterKey discoveryKey(String groupId) {
        return new ClusterKey(groupId, "");
    }

    /** The cluster is no longer polled (removed from the config or the project): resolve what it had firing. */
    public static RuleResult forgetCluster(AlertState previous, ClusterKey cluster, Instant now) {
        Evaluation evaluation = new Evaluation(previous, cluster);
        evaluation.forget(now);
        return evaluation.result();
    }

    /**
     * The cluster an alert key names ({@code alertname/groupId/clusterName[/jobId][/state]}, see
     * {@link Evaluation#key}), or null for a key not of that shape. A cluster name cannot hold a slash;
     * it is empty in a project's discovery key ({@code alertname/groupId/}, see {@link #discoveryKey}).
     */
    static ClusterKey clusterOf(String key) {
        int group = key.indexOf('/');
        int name = group < 0 ? -1 : key.indexOf('/', group + 1);
        if (group <= 0 || name < 0 || name == group + 1) {
            return null;
        }
        if (name == key.length() - 1) {
            return discoveryKey(key.substring(group + 1, name));
        }
        int end = key.indexOf('/', name + 1);
        return new ClusterKey(key.substring(group + 1, name), key.substring(name + 1, end < 0 ? key.length() : end));
    }

    /** Mutable working copy of one evaluation; never escapes {@link AlertRules}. */
    private static final class Evaluation {
        private final ClusterKey cluster;
        private final Map<String, ActiveAlert> active;
        private final Set<String> fired;
        private final Map<ClusterKey, AlertState.ClusterTimes> clusters = new LinkedHashMap<>();
        private final List<AlertNotice> notices = new ArrayList<>();

        Evaluation(AlertState previous, ClusterKey cluster) {
            this.cluster = cluster;
            this.active = new LinkedHashMap<>(previous.active());
            this.fired = new HashSet<>(previous.fired());
            previous.clusters().forEach(times -> clusters.put(times.cluster(), times));
        }

        RuleResult result() {
            return new RuleResult(new AlertState(active, fired, List.copyOf(clusters.values())), notices);
        }

        void observed(Instant at) {
            clusters.putIfAbsent(cluster, new AlertState.ClusterTimes(cluster, at, null));
        }

        void jobEvent(JobEvent event, MonitorConfig.Alerts config, MonitorConfig.Stuck stuck) {
            if (event instanceof JobEvent.StateChanged changed) {
                jobEnded(changed.job(), changed.previousState(), changed.at(), config);
            } else if (event instanceof JobEvent.JobSeen seen && !seen.baseline()) {
                // Baseline: the monitor's first look at the cluster; old failures are history, not news.
                jobEnded(seen.job(), null, seen.at(), config);
            } else if (event instanceof JobEvent.StuckDetected detected) {
                jobStuck(detected, stuck);
            } else if (event instanceof JobEvent.JobLeft left) {
                // Atlas has dropped the job for good: its once-only marks need not be kept forever.
                fired.remove(key(AlertName.JOB_FAILED, left.job().id(), null));
                fired.remove(key(AlertName.JOB_CANCELLED, left.job().id(), null));
            }
        }

        private void jobEnded(TrackedJob job, String previousState, Instant at, MonitorConfig.Alerts config) {
            String alertname;
            MonitorConfig.Toggle toggle;
            if (ExportState.FAILED.equals(job.state())) {
                alertname = AlertName.JOB_FAILED;
                toggle = config.failed();
            } else if (ExportState.CANCELLED.equals(job.state())) {
                alertname = AlertName.JOB_CANCELLED;
                toggle = config.cancelled();
            } else {
                return;
            }
            String key = key(alertname, job.id(), null);
            if (!toggle.enabled() || !fired.add(key)) {
                return;
            }
            ActiveAlert alert = new ActiveAlert(alertname, toggle.severity(),
                    labels(alertname, toggle.severity(), job.id(), null),
                    AlertText.jobEnded(cluster, job.job(), previousState), at);
            notices.add(AlertNotice.firing(key, alert, job.job(), previousState));
        }

        private void jobStuck(JobEvent.StuckDetected detected, MonitorConfig.Stuck stuck) {
            String state = detected.job().state();
            Duration threshold = ExportState.QUEUED.equals(state) ? stuck.queuedAfter()
                    : ExportState.IN_PROGRESS.equals(state) ? stuck.inProgressAfter() : null;
            if (threshold == null) {
                return; // only the documented waiting states have a threshold; unknown states never alert
            }
            String key = key(AlertName.JOB_STUCK, detected.job().id(), state);
            if (active.containsKey(key)) {
                return;
            }
            ActiveAlert alert = new ActiveAlert(AlertName.JOB_STUCK, stuck.severity(),
                    labels(AlertName.JOB_STUCK, stuck.severity(), detected.job().id(), state),
                    AlertText.stuck(cluster, detected.job().job(), detected.inState(), threshold), detected.at());
            active.put(key, alert);
            notices.add(AlertNotice.firing(key, alert, detected.job().job(), null));
        }

        /**
         * Checked against the new snapshot rather than only the StateChanged/JobLeft events, so an
         * alert restored after a restart is resolved even if the change happened while the monitor was down.
         */
        void resolveStuckThatEnded(Observation observation, Instant now) {
            Map<String, TrackedJob> jobs = observation.snapshot().jobs();
            for (Map.Entry<String, ActiveAlert> entry : List.copyOf(active.entrySet())) {
                ActiveAlert alert = entry.getValue();
                if (!AlertName.JOB_STUCK.equals(alert.alertname()) || !ofThisCluster(alert)) {
                    continue;
                }
                String jobId = alert.labels().get(JOB_ID);
                TrackedJob current = jobs.get(jobId);
                String stuckState = alert.labels().get(STATE);
                if (current == null || !stuckState.equals(current.state())) {
                    ExportJob last = current != null ? current.job() : leftJob(observation, jobId);
                    resolve(entry.getKey(), now, last, stuckState);
                }
            }
        }

        private static ExportJob leftJob(Observation observation, String jobId) {
            return observation.events().stream()
                    .filter(event -> event instanceof JobEvent.JobLeft && event.job().id().equals(jobId))
                    .map(event -> event.job().job())
                    .findFirst().orElse(null);
        }

        void targetUp(Instant now) {
            AlertState.ClusterTimes times = clusters.get(cluster);
            clusters.put(cluster, new AlertState.ClusterTimes(cluster, times.firstObserved(), null));
            resolve(key(AlertName.TARGET_DOWN, null, null), now, null, null);
        }

        void targetFailing(Instant at, Throwable error, Instant now, MonitorConfig.Threshold threshold) {
            AlertState.ClusterTimes times = clusters.get(cluster);
            Instant since = times.failingSince() != null ? times.failingSince() : at;
            clusters.put(cluster, new AlertState.ClusterTimes(cluster, times.firstObserved(), since));
            String key = key(AlertName.TARGET_DOWN, null, null);
            if (threshold.enabled() && !active.containsKey(key) && overdue(since, now, threshold.after())) {
                fireClusterAlert(key, AlertName.TARGET_DOWN, threshold.severity(), now, cluster.clusterName().isEmpty()
                        ? AlertText.discoveryDown(cluster.groupId(), since, now, describe(error))
                        : AlertText.targetDown(cluster, since, now, describe(error)));
            }
        }

        void noRecentSuccess(Observation observation, Instant now, MonitorConfig.Threshold threshold) {
            String key = key(AlertName.NO_RECENT_SUCCESS, null, null);
            if (!threshold.enabled()) {
                resolve(key, now, null, null); // switched off by a config change while firing
                return;
            }
            Instant newest = null;
            Instant oldest = clusters.get(cluster).firstObserved();
            for (TrackedJob job : observation.snapshot().jobs().values()) {
                if (ExportState.SUCCESSFUL.equals(job.state())) {
                    Instant finished = job.job().finishedAt() != null ? job.job().finishedAt() : job.stateSince();
                    newest = newest == null || finished.isAfter(newest) ? finished : newest;
                }
                Instant created = job.job().createdAt();
                oldest = created != null && created.isBefore(oldest) ? created : oldest;
            }
            // Without any success, the span we can vouch for starts at the oldest job or the first poll.
            boolean overdue = overdue(newest != null ? newest : oldest, now, threshold.after());
            if (overdue && !active.containsKey(key)) {
                fireClusterAlert(key, AlertName.NO_RECENT_SUCCESS, threshold.severity(), now,
                        AlertText.noRecentSuccess(cluster, newest, threshold.after(), now));
            } else if (!overdue) {
                resolve(key, now, null, null);
            }
        }

        void forget(Instant now) {
            for (Map.Entry<String, ActiveAlert> entry : List.copyOf(active.entrySet())) {
                if (ofThisCluster(entry.getValue())) {
                    resolve(entry.getKey(), now, null, entry.getValue().labels().get(STATE));
                }
            }
            clusters.remove(cluster);
        }

        private void fireClusterAlert(String key, String alertname, String severity, Instant now,
                                      Map<String, String> annotations) {
            ActiveAlert alert = new ActiveAlert(alertname, severity, labels(alertname, severity, null, null),
                    annotations, now);
            active.put(key, alert);
            notices.add(AlertNotice.firing(key, alert, null, null));
        }

        private void resolve(String key, Instant now, ExportJob job, String previousState) {
            ActiveAlert alert = active.remove(key);
            if (alert != null) {
                Instant endsAt = now.isBefore(alert.startsAt()) ? alert.startsAt() : now;
                notices.add(AlertNotice.resolved(key, alert, endsAt, job, previousState));
            }
        }

        private boolean ofThisCluster(ActiveAlert alert) {
            return cluster.groupId().equals(alert.labels().get(GROUP_ID))
                    && cluster.clusterName().equals(alert.labels().get(CLUSTER_NAME));
        }

        /** alertname/groupId/clusterName[/jobId][/state]: names the alert, not one of its notices. */
        private String key(String alertname, String jobId, String state) {
            StringBuilder key = new StringBuilder(alertname).append('/').append(cluster.groupId())
                    .append('/').append(cluster.clusterName());
            if (jobId != null) {
                key.append('/').append(jobId);
            }
            if (state != null) {
                key.append('/').append(state);
            }
            return key.toString();
        }

        private Map<String, String> labels(String alertname, String severity, String jobId, String state) {
            Map<String, String> labels = new TreeMap<>();
            labels.put("alertname", alertname);
            labels.put("severity", severity);
            labels.put(GROUP_ID, cluster.groupId());
            labels.put(CLUSTER_NAME, cluster.clusterName());
            if (jobId != null) {
                labels.put(JOB_ID, jobId);
            }
            if (state != null) {
                labels.put(STATE, state);
            }
            return labels;
        }

        private static boolean overdue(Instant since, Instant now, Duration after) {
            return Duration.between(since, now).compareTo(after) >= 0;
        }

        private static String describe(Throwable error) {
            return Objects.requireNonNullElse(error.getMessage(), error.getClass().getSimpleName());
        }
    }
}
