package io.github.atlasexport.alert;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.coverage.BucketVerdict;
import io.github.atlasexport.coverage.ClusterCoverage;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
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
    static final String EXPORT_BUCKET_ID = "export_bucket_id";

    private AlertRules() {
    }

    /** {@link #evaluate(AlertState, Observation, Instant, MonitorConfig.Alerts, MonitorConfig.Stuck, String)} without a project name. */
    public static RuleResult evaluate(AlertState previous, Observation observation, Instant now,
                                      MonitorConfig.Alerts config, MonitorConfig.Stuck stuck) {
        return evaluate(previous, observation, now, config, stuck, null);
    }

    /**
     * @param stuck       the stuck thresholds of the observed cluster (its target's override, else the global ones)
     * @param projectName the name of the observed cluster's project for the alert text, or null if not
     *                    known (the text then names the project by its group id alone)
     */
    public static RuleResult evaluate(AlertState previous, Observation observation, Instant now,
                                      MonitorConfig.Alerts config, MonitorConfig.Stuck stuck, String projectName) {
        requireNonNull(previous, "previous must not be null");
        requireNonNull(observation, "observation must not be null");
        requireNonNull(now, "now must not be null");
        requireNonNull(config, "config must not be null");
        requireNonNull(stuck, "stuck must not be null");
        Evaluation evaluation = new Evaluation(previous, observation.cluster(), projectName);
        evaluation.observed(observation.at());
        if (observation.succeeded()) {
            for (JobEvent event : observation.events()) {
                evaluation.jobEvent(event, config, stuck);
            }
            evaluation.forgetMarksOfForgottenJobs(observation.snapshot());
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
        Evaluation evaluation = new Evaluation(previous, discoveryKey(discovery.groupId()), null);
        evaluation.observed(discovery.at());
        if (discovery.succeeded()) {
            evaluation.targetUp(now);
        } else {
            evaluation.targetFailing(discovery.at(), discovery.error(), now, targetDown);
        }
        return evaluation.result();
    }

    /**
     * One cluster's coverage: {@code AtlasExportOverdue} fires while its auto-export policy is missed
     * ({@code startsAt} the deadline, derived from Atlas's data and the saved first poll) and resolves
     * once a fresh export lands.
     */
    public static RuleResult evaluateCoverage(AlertState previous, ClusterCoverage coverage, Instant now,
                                              MonitorConfig.Overdue config, String projectName) {
        requireNonNull(coverage, "coverage must not be null");
        Evaluation evaluation = new Evaluation(requireNonNull(previous, "previous must not be null"), coverage.cluster(),
                projectName);
        evaluation.overdue(coverage, now, config);
        return evaluation.result();
    }

    /**
     * A project's export buckets: {@code AtlasExportBucketFailing} per failing bucket, filed under the
     * project's {@link #discoveryKey} (a bucket belongs to the project, not to one cluster).
     *
     * @param verdicts    every bucket the project's watched clusters export to; a firing bucket not among them resolves
     * @param bucketNames bucket id to name, as far as the buckets were listed
     */
    public static RuleResult evaluateBuckets(AlertState previous, String groupId, List<BucketVerdict> verdicts,
                                             Map<String, String> bucketNames, Instant now,
                                             MonitorConfig.BucketFailing config, String projectName) {
        Evaluation evaluation = new Evaluation(requireNonNull(previous, "previous must not be null"),
                discoveryKey(groupId), projectName);
        evaluation.bucketsFailing(verdicts, bucketNames, now, config);
        return evaluation.result();
    }

    /** Where the rules keep a project's discovery: a cluster with an empty name, which no real cluster has. */
    public static ClusterKey discoveryKey(String groupId) {
        return new ClusterKey(groupId, "");
    }

    /** The cluster is no longer polled (removed from the config or the project): resolve what it had firing. */
    public static RuleResult forgetCluster(AlertState previous, ClusterKey cluster, Instant now) {
        Evaluation evaluation = new Evaluation(previous, cluster, null);
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
        private final AlertText.Where where;
        private final Map<String, ActiveAlert> active;
        private final Set<String> fired;
        private final Map<ClusterKey, AlertState.ClusterTimes> clusters = new LinkedHashMap<>();
        private final List<AlertNotice> notices = new ArrayList<>();

        Evaluation(AlertState previous, ClusterKey cluster, String projectName) {
            this.cluster = cluster;
            this.where = new AlertText.Where(cluster, projectName);
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
            } else if (event instanceof JobEvent.JobSeen seen && !seen.baseline() && !history(seen.job())) {
                // Baseline: the monitor's first look at the cluster; old failures are history, not news.
                jobEnded(seen.job(), null, seen.at(), config);
            } else if (event instanceof JobEvent.StuckDetected detected) {
                jobStuck(detected, stuck);
            }
        }

        /**
         * Finished before the monitor first looked at the cluster: history however it is seen now. A job
         * the first list missed (a page shifted while it was read) is news to the differ later, not to us.
         */
        private boolean history(TrackedJob job) {
            Instant finished = job.job().finishedAt();
            return finished != null && finished.isBefore(clusters.get(cluster).firstObserved());
        }

        /**
         * Once-only marks last as long as the differ remembers their job, listed or departed: a job
         * missing from one list and back in the next must not alert again. After that they would only
         * cost memory.
         */
        void forgetMarksOfForgottenJobs(ClusterSnapshot snapshot) {
            for (String alertname : List.of(AlertName.JOB_FAILED, AlertName.JOB_CANCELLED)) {
                String prefix = key(alertname, null, null) + '/';
                fired.removeIf(key -> {
                    if (!key.startsWith(prefix)) {
                        return false;
                    }
                    String jobId = key.substring(prefix.length());
                    return !snapshot.jobs().containsKey(jobId) && !snapshot.departed().containsKey(jobId);
                });
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
            // From Atlas's data, not the poll's clock: the same alert raised again (after a crash
            // before its save), or by another replica, must have the same startsAt, hence the same
            // notice id and body. A job Atlas lists without finishedAt still has its createdAt.
            Instant startsAt = job.job().finishedAt() != null ? job.job().finishedAt()
                    : job.job().createdAt() != null ? job.job().createdAt() : at;
            ActiveAlert alert = new ActiveAlert(alertname, toggle.severity(),
                    labels(alertname, toggle.severity(), job.id(), null),
                    AlertText.jobEnded(where, job.job(), previousState), startsAt);
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
                    AlertText.stuck(where, detected.job().job(), detected.inState(), threshold),
                    stuckSince(detected, threshold));
            active.put(key, alert);
            notices.add(AlertNotice.firing(key, alert, detected.job().job(), null));
        }

        /**
         * When the job became stuck, from its saved stuck clock rather than the poll that noticed, so the
         * alert raised again after a restart is the same; never later than that poll (a threshold raised
         * by a reload could put it in the future).
         */
        private static Instant stuckSince(JobEvent.StuckDetected detected, Duration threshold) {
            Instant since = detected.job().stuckClockStart().plus(threshold);
            return since.isAfter(detected.at()) ? detected.at() : since;
        }

        /**
         * Checked against the new snapshot rather than only the StateChanged/JobLeft events, so an
         * alert restored after a restart is resolved even if the change happened while the monitor was down.
         * A job missing from the list but still remembered is still stuck as far as anyone knows (Atlas
         * does not drop waiting jobs); its alert resolves when it moves on or is forgotten.
         */
        void resolveStuckThatEnded(Observation observation, Instant now) {
            ClusterSnapshot snapshot = observation.snapshot();
            for (Map.Entry<String, ActiveAlert> entry : List.copyOf(active.entrySet())) {
                ActiveAlert alert = entry.getValue();
                if (!AlertName.JOB_STUCK.equals(alert.alertname()) || !ofThisCluster(alert)) {
                    continue;
                }
                String jobId = alert.labels().get(JOB_ID);
                TrackedJob current = snapshot.jobs().get(jobId);
                if (current == null && snapshot.departed().containsKey(jobId)) {
                    current = snapshot.departed().get(jobId).job();
                }
                String stuckState = alert.labels().get(STATE);
                if (current == null || !stuckState.equals(current.state())) {
                    resolve(entry.getKey(), now, current != null ? current.job() : null, stuckState);
                }
            }
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
                fireClusterAlert(key, AlertName.TARGET_DOWN, threshold.severity(), since.plus(threshold.after()),
                        cluster.clusterName().isEmpty()
                                ? AlertText.discoveryDown(where.project(), since, now, describe(error))
                                : AlertText.targetDown(where, since, now, describe(error)));
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
            Instant reference = newest != null ? newest : oldest;
            boolean overdue = overdue(reference, now, threshold.after());
            if (overdue && !active.containsKey(key)) {
                fireClusterAlert(key, AlertName.NO_RECENT_SUCCESS, threshold.severity(), reference.plus(threshold.after()),
                        AlertText.noRecentSuccess(where, newest, threshold.after(), now));
            } else if (!overdue) {
                resolve(key, now, null, null);
            }
        }

        void overdue(ClusterCoverage coverage, Instant now, MonitorConfig.Overdue config) {
            String key = key(AlertName.OVERDUE, null, null);
            if (coverage.overdue() && !active.containsKey(key)) {
                fireClusterAlert(key, AlertName.OVERDUE, config.severity(), coverage.deadline(),
                        AlertText.overdue(where, coverage, config.grace()));
            } else if (!coverage.overdue()) {
                resolve(key, now, null, null);
            }
        }

        /** Keys {@code AtlasExportBucketFailing/groupId//bucketId}: the discovery key's cluster, the bucket in the job's place. */
        void bucketsFailing(List<BucketVerdict> verdicts, Map<String, String> bucketNames, Instant now,
                            MonitorConfig.BucketFailing config) {
            Set<String> failing = new HashSet<>();
            for (BucketVerdict verdict : verdicts) {
                if (!verdict.failing()) {
                    continue;
                }
                String key = key(AlertName.BUCKET_FAILING, verdict.exportBucketId(), null);
                failing.add(key);
                if (!active.containsKey(key)) {
                    Map<String, String> labels = labels(AlertName.BUCKET_FAILING, config.severity(), null, null);
                    labels.put(EXPORT_BUCKET_ID, verdict.exportBucketId());
                    ActiveAlert alert = new ActiveAlert(AlertName.BUCKET_FAILING, config.severity(), labels,
                            AlertText.bucketFailing(where.project(), verdict, bucketNames.get(verdict.exportBucketId())),
                            verdict.since());
                    active.put(key, alert);
                    notices.add(AlertNotice.firing(key, alert, null, null));
                }
            }
            for (Map.Entry<String, ActiveAlert> entry : List.copyOf(active.entrySet())) {
                if (AlertName.BUCKET_FAILING.equals(entry.getValue().alertname()) && !failing.contains(entry.getKey())) {
                    resolve(entry.getKey(), now, null, null);
                }
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

        /** {@code startsAt} when the condition began, from the state's clocks: the same after a restart. */
        private void fireClusterAlert(String key, String alertname, String severity, Instant startsAt,
                                      Map<String, String> annotations) {
            ActiveAlert alert = new ActiveAlert(alertname, severity, labels(alertname, severity, null, null),
                    annotations, startsAt);
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
