package io.github.atlasexport.metrics;

import io.github.atlasexport.monitor.ClusterKey;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@link ClusterView} of every cluster, from which every gauge that follows from a poll
 * is rendered at scrape time: the per-cluster counts and timestamps here, as prometheus-metrics
 * snapshots, and the per-job series by {@link JobSeriesWriter}, straight to bytes.
 *
 * <p>Why not a prometheus-metrics {@code Gauge} child per series: a job has about ten series, and a
 * labelled child costs a map entry, a label-value list and a data point each, well over the budget
 * of 1 KiB per job at 100,000 jobs. Here a job costs one array slot in a {@link ClusterView}; its
 * labels and values exist only while a scrape writes them. Removal is free as well: a job that left
 * the list or aged out of the history window is simply not in the next view.
 */
final class ClusterGauges {

    /*
     * Clusters in the order of their labels (cluster_name, then group_id), which is the order each
     * MetricSnapshot sorts its data points into: the sort then finds one run and is linear.
     */
    private static final Comparator<Map.Entry<ClusterKey, ClusterView>> LABEL_ORDER = Map.Entry.comparingByKey(
            Comparator.comparing(ClusterKey::clusterName).thenComparing(ClusterKey::groupId));

    private final Map<ClusterKey, ClusterView> views = new ConcurrentHashMap<>();

    ClusterView view(ClusterKey key) {
        return views.get(key);
    }

    void put(ClusterKey key, ClusterView view) {
        views.put(key, view);
    }

    void remove(ClusterKey key) {
        views.remove(key);
    }

    /** Every cluster's view as of now, in label order: what one scrape renders, all families alike. */
    List<Map.Entry<ClusterKey, ClusterView>> sorted() {
        List<Map.Entry<ClusterKey, ClusterView>> all = new ArrayList<>(views.size());
        views.forEach((key, view) -> all.add(Map.entry(key, view)));
        all.sort(LABEL_ORDER);
        return all;
    }

    /** The per-cluster families of {@code clusters}. */
    static MetricSnapshots clusterFamilies(List<Map.Entry<ClusterKey, ClusterView>> clusters) {
        List<GaugeDataPointSnapshot> jobs = new ArrayList<>();
        List<GaugeDataPointSnapshot> stuck = new ArrayList<>();
        List<GaugeDataPointSnapshot> lastSuccess = new ArrayList<>();
        List<GaugeDataPointSnapshot> lastFailure = new ArrayList<>();
        List<GaugeDataPointSnapshot> up = new ArrayList<>();
        List<GaugeDataPointSnapshot> lastPoll = new ArrayList<>();
        List<GaugeDataPointSnapshot> firstPoll = new ArrayList<>();
        for (Map.Entry<ClusterKey, ClusterView> entry : clusters) {
            ClusterKey key = entry.getKey();
            ClusterView view = entry.getValue();
            Labels cluster = Labels.of("group_id", key.groupId(), "cluster_name", key.clusterName());
            up.add(point(view.up() ? 1 : 0, cluster));
            addTimestamp(lastPoll, view.lastPoll(), cluster);
            addTimestamp(firstPoll, view.firstPoll(), cluster);
            addTimestamp(lastSuccess, view.lastSuccess(), cluster);
            addTimestamp(lastFailure, view.lastFailure(), cluster);
            view.jobsByState().forEach((state, n) -> jobs.add(point(n, cluster.add("state", state))));
            view.stuckByState().forEach((state, n) -> stuck.add(point(n, cluster.add("state", state))));
        }
        List<MetricSnapshot> all = new ArrayList<>();
        all.add(gauge("atlas_export_first_poll_timestamp_seconds",
                "When the cluster's export jobs were first listed successfully (kept in the state store), in unix"
                        + " seconds: jobs already Failed or Cancelled then raise no alert.", firstPoll));
        all.add(gauge("atlas_export_jobs",
                "Export jobs in the cluster's latest list, by state (documented states always present).", jobs));
        all.add(gauge("atlas_export_jobs_stuck",
                "Export jobs over their stuck threshold, by state.", stuck));
        all.add(gauge("atlas_export_last_success_timestamp_seconds",
                "finishedAt of the newest Successful export job of the cluster, in unix seconds.", lastSuccess));
        all.add(gauge("atlas_export_last_failure_timestamp_seconds",
                "finishedAt (else when the monitor saw it fail) of the newest Failed export job, in unix seconds.",
                lastFailure));
        all.add(gauge("atlas_export_target_up",
                "1 if the latest poll of the cluster's export jobs succeeded, else 0.", up));
        all.add(gauge("atlas_export_last_poll_timestamp_seconds",
                "When the cluster's export jobs were last listed successfully, in unix seconds.", lastPoll));
        return new MetricSnapshots(all);
    }

    private static GaugeSnapshot gauge(String name, String help, List<GaugeDataPointSnapshot> points) {
        return new GaugeSnapshot(new MetricMetadata(name, help), points);
    }

    private static void addTimestamp(List<GaugeDataPointSnapshot> family, Instant at, Labels labels) {
        if (at != null) {
            family.add(point(at.getEpochSecond() + at.getNano() / 1e9, labels));
        }
    }

    private static GaugeDataPointSnapshot point(double value, Labels labels) {
        return new GaugeDataPointSnapshot(value, labels, null);
    }
}
