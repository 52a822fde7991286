package io.github.atlasexport.metrics;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.TrackedJob;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
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
 * Renders, at scrape time, every gauge that follows from a cluster's latest poll: the per-job series
 * and the per-cluster counts and timestamps.
 *
 * <p>Why a collector rather than a prometheus-metrics {@code Gauge} child per series: a job has about
 * ten series, and a labelled child costs a map entry, a label-value list and a data point each, well
 * over the budget of 1 KiB per job at 100,000 jobs. Here a job costs one array slot in a
 * {@link ClusterView}; its labels and values exist only while a scrape runs, which is what a
 * {@code Gauge.collect()} allocates anyway. Removal is free as well: a job that left the list or
 * aged out of the history window is simply not in the next view.
 */
final class ClusterGaugesCollector implements MultiCollector {

    /*
     * Data points are added in the order of their labels (cluster_name, group_id, job_id, state), which
     * is the order each MetricSnapshot sorts them into: the sort then finds one run and is linear.
     */
    private static final Comparator<ClusterKey> LABEL_ORDER =
            Comparator.comparing(ClusterKey::clusterName).thenComparing(ClusterKey::groupId);
    private static final List<String> DOCUMENTED_IN_LABEL_ORDER = ExportState.DOCUMENTED.stream().sorted().toList();

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

    @Override
    public MetricSnapshots collect() {
        Families f = new Families();
        views.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(LABEL_ORDER))
                .forEach(e -> f.add(e.getKey(), e.getValue()));
        return f.snapshots();
    }

    /** The data points of one scrape, family by family. */
    private static final class Families {
        private final List<GaugeDataPointSnapshot> jobState = new ArrayList<>();
        private final List<InfoDataPointSnapshot> jobInfo = new ArrayList<>();
        private final List<GaugeDataPointSnapshot> created = new ArrayList<>();
        private final List<GaugeDataPointSnapshot> finished = new ArrayList<>();
        private final List<GaugeDataPointSnapshot> stateSince = new ArrayList<>();
        private final List<GaugeDataPointSnapshot> exported = new ArrayList<>();
        private final List<GaugeDataPointSnapshot> collections = new ArrayList<>();
        private final List<GaugeDataPointSnapshot> jobs = new ArrayList<>();
        private final List<GaugeDataPointSnapshot> stuck = new ArrayList<>();
        private final List<GaugeDataPointSnapshot> lastSuccess = new ArrayList<>();
        private final List<GaugeDataPointSnapshot> lastFailure = new ArrayList<>();
        private final List<GaugeDataPointSnapshot> up = new ArrayList<>();
        private final List<GaugeDataPointSnapshot> lastPoll = new ArrayList<>();

        void add(ClusterKey key, ClusterView view) {
            Labels cluster = Labels.of("group_id", key.groupId(), "cluster_name", key.clusterName());
            up.add(point(view.up() ? 1 : 0, cluster));
            addTimestamp(lastPoll, view.lastPoll(), cluster);
            addTimestamp(lastSuccess, view.lastSuccess(), cluster);
            addTimestamp(lastFailure, view.lastFailure(), cluster);
            view.jobsByState().forEach((state, n) -> jobs.add(point(n, cluster.add("state", state))));
            view.stuckByState().forEach((state, n) -> stuck.add(point(n, cluster.add("state", state))));
            for (TrackedJob job : view.jobs()) {
                addJob(cluster.add("job_id", job.id()), job);
            }
        }

        private void addJob(Labels labels, TrackedJob tracked) {
            ExportJob job = tracked.job();
            String current = ClusterView.stateLabel(job.state());
            String undocumented = ExportState.DOCUMENTED.contains(current) ? null : current;
            for (String state : DOCUMENTED_IN_LABEL_ORDER) {
                if (undocumented != null && undocumented.compareTo(state) < 0) {
                    jobState.add(point(1, labels.add("state", undocumented)));
                    undocumented = null;
                }
                jobState.add(point(state.equals(current) ? 1 : 0, labels.add("state", state)));
            }
            if (undocumented != null) {
                jobState.add(point(1, labels.add("state", undocumented)));
            }
            jobInfo.add(new InfoDataPointSnapshot(labels.merge(
                    new String[]{"snapshot_id", "export_bucket_id", "sharded"},
                    new String[]{orEmpty(job.snapshotId()), orEmpty(job.exportBucketId()), String.valueOf(job.sharded())})));
            addTimestamp(created, job.createdAt(), labels);
            addTimestamp(finished, job.finishedAt(), labels);
            addTimestamp(stateSince, tracked.stateSince(), labels);
            if (job.exportStatus() != null) {
                exported.add(point(job.exportStatus().exportedCollections(), labels));
                collections.add(point(job.exportStatus().totalCollections(), labels));
            }
        }

        MetricSnapshots snapshots() {
            List<MetricSnapshot> all = new ArrayList<>();
            all.add(gauge("atlas_export_job_state", "State set of each tracked export job: 1 for its current"
                    + " state, 0 for each other documented state (an undocumented current state gets its own series).", jobState));
            all.add(new InfoSnapshot(new MetricMetadata("atlas_export_job_info",
                    "Static facts of each tracked export job; always 1."), jobInfo));
            all.add(gauge("atlas_export_job_created_timestamp_seconds",
                    "When Atlas created the export job (createdAt), in unix seconds.", created));
            all.add(gauge("atlas_export_job_finished_timestamp_seconds",
                    "When the export job finished (finishedAt), in unix seconds; only once Atlas reports it.", finished));
            all.add(gauge("atlas_export_job_state_since_timestamp_seconds",
                    "When the monitor first saw the export job in its current state, in unix seconds.", stateSince));
            all.add(gauge("atlas_export_job_exported_collections",
                    "Collections exported so far (exportStatus.exportedCollections; replica sets only).", exported));
            all.add(gauge("atlas_export_job_collections",
                    "Collections to export (exportStatus.totalCollections; replica sets only).", collections));
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

        private static String orEmpty(String s) {
            return s == null ? "" : s;
        }
    }
}
