package io.github.atlasexport.metrics;

import io.github.atlasexport.atlas.ExchangeListener.Exchange;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.JobEvent;
import io.github.atlasexport.monitor.TrackedJob;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static io.github.atlasexport.metrics.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportMetricsUnitTests {

    private static final String C0 = "cluster_name=\"Cluster0\",group_id=\"" + GROUP + "\"";

    private final ExportMetrics metrics = bareMetrics();

    @Test
    void rendersEverySeriesOfAReplicaSetJobExactly() {
        TrackedJob job = tracked(replicaSetJob("job-a", "InProgress", T0, null, 3, 10), at(600));
        metrics.record(firstPoll(snapshot(CLUSTER0, at(900), job), at(900)));

        ScrapeResult scrape = metrics.scrape(null);

        assertEquals("text/plain; version=0.0.4; charset=utf-8", scrape.contentType());
        assertEquals("""
                # HELP atlas_export_build_info Version of the monitor and the Atlas Admin API version it speaks; always 1.
                # TYPE atlas_export_build_info gauge
                atlas_export_build_info{api_version="v2",version="1.2.3"} 1
                # HELP atlas_export_first_poll_timestamp_seconds When the cluster's export jobs were first listed successfully (kept in the state store), in unix seconds: jobs already Failed or Cancelled then raise no alert.
                # TYPE atlas_export_first_poll_timestamp_seconds gauge
                atlas_export_first_poll_timestamp_seconds{C0} 1.7000009E9
                # HELP atlas_export_job_collections Collections to export (exportStatus.totalCollections; replica sets only).
                # TYPE atlas_export_job_collections gauge
                atlas_export_job_collections{C0,job_id="job-a"} 10.0
                # HELP atlas_export_job_created_timestamp_seconds When Atlas created the export job (createdAt), in unix seconds.
                # TYPE atlas_export_job_created_timestamp_seconds gauge
                atlas_export_job_created_timestamp_seconds{C0,job_id="job-a"} 1.7E9
                # HELP atlas_export_job_exported_collections Collections exported so far (exportStatus.exportedCollections; replica sets only).
                # TYPE atlas_export_job_exported_collections gauge
                atlas_export_job_exported_collections{C0,job_id="job-a"} 3.0
                # HELP atlas_export_job_info Static facts of each tracked export job; always 1.
                # TYPE atlas_export_job_info gauge
                atlas_export_job_info{cluster_name="Cluster0",export_bucket_id="bucket-1",group_id="G",job_id="job-a",sharded="false",snapshot_id="snap-job-a"} 1
                # HELP atlas_export_job_state State set of each tracked export job: 1 for its current state, 0 for each other documented state (an undocumented current state gets its own series).
                # TYPE atlas_export_job_state gauge
                atlas_export_job_state{C0,job_id="job-a",state="Cancelled"} 0.0
                atlas_export_job_state{C0,job_id="job-a",state="Failed"} 0.0
                atlas_export_job_state{C0,job_id="job-a",state="InProgress"} 1.0
                atlas_export_job_state{C0,job_id="job-a",state="Queued"} 0.0
                atlas_export_job_state{C0,job_id="job-a",state="Successful"} 0.0
                # HELP atlas_export_job_state_since_timestamp_seconds When the monitor first saw the export job in its current state (for a job first seen not yet ended, its createdAt), in unix seconds: the clock of the stuck check.
                # TYPE atlas_export_job_state_since_timestamp_seconds gauge
                atlas_export_job_state_since_timestamp_seconds{C0,job_id="job-a"} 1.7000006E9
                # HELP atlas_export_jobs Export jobs in the cluster's latest list, by state (documented states always present).
                # TYPE atlas_export_jobs gauge
                atlas_export_jobs{C0,state="Cancelled"} 0.0
                atlas_export_jobs{C0,state="Failed"} 0.0
                atlas_export_jobs{C0,state="InProgress"} 1.0
                atlas_export_jobs{C0,state="Queued"} 0.0
                atlas_export_jobs{C0,state="Successful"} 0.0
                # HELP atlas_export_jobs_stuck Export jobs over their stuck threshold, by state.
                # TYPE atlas_export_jobs_stuck gauge
                atlas_export_jobs_stuck{C0,state="InProgress"} 0.0
                atlas_export_jobs_stuck{C0,state="Queued"} 0.0
                # HELP atlas_export_last_poll_timestamp_seconds When the cluster's export jobs were last listed successfully, in unix seconds.
                # TYPE atlas_export_last_poll_timestamp_seconds gauge
                atlas_export_last_poll_timestamp_seconds{C0} 1.7000009E9
                # HELP atlas_export_poll_duration_seconds Time to list all export jobs of a cluster (all pages), successful polls only.
                # TYPE atlas_export_poll_duration_seconds histogram
                atlas_export_poll_duration_seconds_bucket{C0,le="0.05"} 0
                atlas_export_poll_duration_seconds_bucket{C0,le="0.1"} 0
                atlas_export_poll_duration_seconds_bucket{C0,le="0.25"} 0
                atlas_export_poll_duration_seconds_bucket{C0,le="0.5"} 0
                atlas_export_poll_duration_seconds_bucket{C0,le="1.0"} 0
                atlas_export_poll_duration_seconds_bucket{C0,le="2.5"} 1
                atlas_export_poll_duration_seconds_bucket{C0,le="5.0"} 1
                atlas_export_poll_duration_seconds_bucket{C0,le="10.0"} 1
                atlas_export_poll_duration_seconds_bucket{C0,le="20.0"} 1
                atlas_export_poll_duration_seconds_bucket{C0,le="30.0"} 1
                atlas_export_poll_duration_seconds_bucket{C0,le="60.0"} 1
                atlas_export_poll_duration_seconds_bucket{C0,le="+Inf"} 1
                atlas_export_poll_duration_seconds_count{C0} 1
                atlas_export_poll_duration_seconds_sum{C0} 1.5
                # HELP atlas_export_target_up 1 if the latest poll of the cluster's export jobs succeeded, else 0.
                # TYPE atlas_export_target_up gauge
                atlas_export_target_up{C0} 1.0
                # HELP atlas_export_transitions_total Export job state changes observed by the monitor; from="none" when a job is first seen, including the jobs already listed at the first poll of a cluster.
                # TYPE atlas_export_transitions_total counter
                atlas_export_transitions_total{cluster_name="Cluster0",from="none",group_id="G",to="InProgress"} 1.0
                """.replace("C0", C0).replace("\"G\"", "\"" + GROUP + "\""), scrape.text());
    }

    /** The clock the stuck check counts from, so PromQL on state_since agrees with the monitor's stuck alert. */
    @Test
    void stateSinceOfAJobFirstSeenMidStateIsItsCreatedAtAndFirstPollStaysTheBaseline() {
        Instant created = T0.minus(Duration.ofHours(7));
        TrackedJob job = new TrackedJob(replicaSetJob("job-old", "InProgress", created, null, 1, 9),
                at(60), at(60), created, true);
        metrics.record(firstPoll(snapshot(CLUSTER0, at(60), job), at(60)));
        metrics.record(polled(new ClusterSnapshot(CLUSTER0, Map.of(job.id(), job), at(120), at(60)), at(120)));

        String text = metrics.scrape(null).text();

        assertEquals(List.of("atlas_export_job_state_since_timestamp_seconds{" + C0 + ",job_id=\"job-old\"} 1.6999748E9"),
                lines(text, "atlas_export_job_state_since_timestamp_seconds{"));
        assertEquals(List.of("atlas_export_first_poll_timestamp_seconds{" + C0 + "} 1.70000006E9"),
                lines(text, "atlas_export_first_poll_timestamp_seconds{"));
    }

    @Test
    void shardedJobHasInfoButNoCollectionCounts() {
        TrackedJob job = tracked(shardedJob("job-s", "Queued", T0, null), T0);
        metrics.record(firstPoll(snapshot(CLUSTER0, at(60), job), at(60)));

        String text = metrics.scrape(null).text();

        assertEquals(List.of("atlas_export_job_info{cluster_name=\"Cluster0\",export_bucket_id=\"bucket-2\",group_id=\""
                + GROUP + "\",job_id=\"job-s\",sharded=\"true\",snapshot_id=\"snap-job-s\"} 1"), lines(text, "atlas_export_job_info{"));
        assertEquals(List.of(), lines(text, "atlas_export_job_exported_collections"));
        assertEquals(List.of(), lines(text, "atlas_export_job_collections"));
        assertEquals(List.of(), lines(text, "atlas_export_job_finished_timestamp_seconds"));
    }

    @Test
    void unknownStateGetsItsOwnSeriesWhileDocumentedStatesAreZero() {
        TrackedJob job = tracked(replicaSetJob("job-u", "Paused", T0, null, 1, 4), at(30));
        metrics.record(firstPoll(snapshot(CLUSTER0, at(60), job), at(60)));

        String text = metrics.scrape(null).text();

        String job_u = C0 + ",job_id=\"job-u\"";
        assertEquals(List.of(
                "atlas_export_job_state{" + job_u + ",state=\"Cancelled\"} 0.0",
                "atlas_export_job_state{" + job_u + ",state=\"Failed\"} 0.0",
                "atlas_export_job_state{" + job_u + ",state=\"InProgress\"} 0.0",
                "atlas_export_job_state{" + job_u + ",state=\"Paused\"} 1.0",
                "atlas_export_job_state{" + job_u + ",state=\"Queued\"} 0.0",
                "atlas_export_job_state{" + job_u + ",state=\"Successful\"} 0.0"), lines(text, "atlas_export_job_state{"));
        assertEquals(List.of(
                "atlas_export_jobs{" + C0 + ",state=\"Cancelled\"} 0.0",
                "atlas_export_jobs{" + C0 + ",state=\"Failed\"} 0.0",
                "atlas_export_jobs{" + C0 + ",state=\"InProgress\"} 0.0",
                "atlas_export_jobs{" + C0 + ",state=\"Paused\"} 1.0",
                "atlas_export_jobs{" + C0 + ",state=\"Queued\"} 0.0",
                "atlas_export_jobs{" + C0 + ",state=\"Successful\"} 0.0"), lines(text, "atlas_export_jobs{"));
        assertEquals(List.of("atlas_export_transitions_total{cluster_name=\"Cluster0\",from=\"none\",group_id=\""
                + GROUP + "\",to=\"Paused\"} 1.0"), lines(text, "atlas_export_transitions_total{"));
    }

    @Test
    void stuckJobsAreCountedByState() {
        ClusterSnapshot snapshot = snapshot(CLUSTER0, at(7200),
                stuck(replicaSetJob("q1", "Queued", T0, null, 0, 5), T0),
                stuck(replicaSetJob("q2", "Queued", T0, null, 0, 5), T0),
                tracked(replicaSetJob("p1", "InProgress", T0, null, 1, 5), at(60)));
        metrics.record(firstPoll(snapshot, at(7200)));

        assertEquals(List.of(
                "atlas_export_jobs_stuck{" + C0 + ",state=\"InProgress\"} 0.0",
                "atlas_export_jobs_stuck{" + C0 + ",state=\"Queued\"} 2.0"), lines(metrics.scrape(null).text(), "atlas_export_jobs_stuck{"));
    }

    @Test
    void finishingJobCountsTransitionObservesDurationAndSetsLastTimestamps() {
        TrackedJob running = tracked(replicaSetJob("job-f", "InProgress", T0, null, 2, 9), at(60));
        TrackedJob done = tracked(replicaSetJob("job-d", "Successful", T0, at(1800), 9, 9), at(1800));
        metrics.record(firstPoll(snapshot(CLUSTER0, at(1900), running, done), at(1900)));
        TrackedJob failed = tracked(replicaSetJob("job-f", "Failed", T0, at(5400), 2, 9), at(5460));
        metrics.record(polled(snapshot(CLUSTER0, at(5460), failed, done), at(5460),
                new JobEvent.StateChanged(CLUSTER0, failed, "InProgress", at(5460))));

        String text = metrics.scrape(null).text();

        assertEquals(List.of(
                "atlas_export_transitions_total{cluster_name=\"Cluster0\",from=\"InProgress\",group_id=\"" + GROUP + "\",to=\"Failed\"} 1.0",
                "atlas_export_transitions_total{cluster_name=\"Cluster0\",from=\"none\",group_id=\"" + GROUP + "\",to=\"InProgress\"} 1.0",
                "atlas_export_transitions_total{cluster_name=\"Cluster0\",from=\"none\",group_id=\"" + GROUP + "\",to=\"Successful\"} 1.0"),
                lines(text, "atlas_export_transitions_total{"));
        // 90 minutes; the baseline Successful job was not seen to finish, so it is not observed.
        String failedLabels = C0 + ",state=\"Failed\"";
        assertEquals(List.of(
                "atlas_export_job_duration_seconds_bucket{" + failedLabels + ",le=\"60.0\"} 0",
                "atlas_export_job_duration_seconds_bucket{" + failedLabels + ",le=\"300.0\"} 0",
                "atlas_export_job_duration_seconds_bucket{" + failedLabels + ",le=\"600.0\"} 0",
                "atlas_export_job_duration_seconds_bucket{" + failedLabels + ",le=\"1800.0\"} 0",
                "atlas_export_job_duration_seconds_bucket{" + failedLabels + ",le=\"3600.0\"} 0",
                "atlas_export_job_duration_seconds_bucket{" + failedLabels + ",le=\"7200.0\"} 1",
                "atlas_export_job_duration_seconds_bucket{" + failedLabels + ",le=\"14400.0\"} 1",
                "atlas_export_job_duration_seconds_bucket{" + failedLabels + ",le=\"28800.0\"} 1",
                "atlas_export_job_duration_seconds_bucket{" + failedLabels + ",le=\"43200.0\"} 1",
                "atlas_export_job_duration_seconds_bucket{" + failedLabels + ",le=\"86400.0\"} 1",
                "atlas_export_job_duration_seconds_bucket{" + failedLabels + ",le=\"+Inf\"} 1",
                "atlas_export_job_duration_seconds_count{" + failedLabels + "} 1",
                "atlas_export_job_duration_seconds_sum{" + failedLabels + "} 5400.0"),
                lines(text, "atlas_export_job_duration_seconds"));
        assertEquals(List.of("atlas_export_last_success_timestamp_seconds{" + C0 + "} 1.7000018E9"),
                lines(text, "atlas_export_last_success_timestamp_seconds{"));
        assertEquals(List.of("atlas_export_last_failure_timestamp_seconds{" + C0 + "} 1.7000054E9"),
                lines(text, "atlas_export_last_failure_timestamp_seconds{"));
        assertEquals(List.of("atlas_export_job_finished_timestamp_seconds{" + C0 + ",job_id=\"job-d\"} 1.7000018E9",
                        "atlas_export_job_finished_timestamp_seconds{" + C0 + ",job_id=\"job-f\"} 1.7000054E9"),
                lines(text, "atlas_export_job_finished_timestamp_seconds{"));
    }

    @Test
    void newJobAlreadyFinishedIsObservedButBaselineJobsAreNot() {
        TrackedJob old = tracked(replicaSetJob("old", "Cancelled", T0, at(100), 0, 3), at(100));
        metrics.record(firstPoll(snapshot(CLUSTER0, at(200), old), at(200)));
        TrackedJob quick = tracked(replicaSetJob("quick", "Cancelled", at(210), at(250), 0, 3), at(260));
        metrics.record(polled(snapshot(CLUSTER0, at(260), old, quick), at(260),
                new JobEvent.JobSeen(CLUSTER0, quick, at(260), false)));

        assertEquals(List.of("atlas_export_job_duration_seconds_count{" + C0 + ",state=\"Cancelled\"} 1",
                        "atlas_export_job_duration_seconds_sum{" + C0 + ",state=\"Cancelled\"} 40.0"),
                lines(metrics.scrape(null).text(), "atlas_export_job_duration_seconds_[cs]"));
    }

    @Test
    void failedJobWithoutFinishedAtUsesTheTimeTheMonitorSawIt() {
        TrackedJob failed = tracked(new ExportJob("job-x", "snap", "bucket", T0, null, null,
                "Failed", null, "boom", null, null, null), at(3000));
        metrics.record(firstPoll(snapshot(CLUSTER0, at(3000), failed), at(3000)));

        assertEquals(List.of("atlas_export_last_failure_timestamp_seconds{" + C0 + "} 1.700003E9"),
                lines(metrics.scrape(null).text(), "atlas_export_last_failure_timestamp_seconds{"));
    }

    @Test
    void terminalJobLosesItsSeriesOnceOlderThanTheHistoryWindowEvenWhileAtlasIsDown() {
        TrackedJob done = tracked(replicaSetJob("job-d", "Successful", T0, at(100), 4, 4), at(100));
        TrackedJob running = tracked(replicaSetJob("job-r", "InProgress", T0, null, 1, 4), at(100));
        ClusterSnapshot snapshot = snapshot(CLUSTER0, at(200), done, running);
        metrics.record(firstPoll(snapshot, at(200)));
        Duration justInside = WINDOW.plusSeconds(100);
        metrics.record(polled(snapshot, T0.plus(justInside)));
        assertEquals(2, lines(metrics.scrape(null).text(), "atlas_export_job_created_timestamp_seconds{").size());

        metrics.record(failedPoll(snapshot, T0.plus(justInside).plusSeconds(1)));

        String text = metrics.scrape(null).text();
        assertEquals(List.of("atlas_export_job_created_timestamp_seconds{" + C0 + ",job_id=\"job-r\"} 1.7E9"),
                lines(text, "atlas_export_job_created_timestamp_seconds{"));
        assertTrue(lines(text, "atlas_export_").stream().noneMatch(l -> l.contains("job-d")), text);
        // Still in Atlas's list, and still the newest success.
        assertEquals(List.of("atlas_export_jobs{" + C0 + ",state=\"Successful\"} 1.0"),
                lines(text, "atlas_export_jobs{" + C0 + ",state=\"Successful\""));
        assertEquals(List.of("atlas_export_last_success_timestamp_seconds{" + C0 + "} 1.7000001E9"),
                lines(text, "atlas_export_last_success_timestamp_seconds{"));
    }

    @Test
    void jobThatLeftTheListLosesItsSeriesButLastSuccessStays() {
        TrackedJob done = tracked(replicaSetJob("job-d", "Successful", T0, at(100), 4, 4), at(100));
        metrics.record(firstPoll(snapshot(CLUSTER0, at(200), done), at(200)));

        metrics.record(polled(snapshot(CLUSTER0, at(300)), at(300), new JobEvent.JobLeft(CLUSTER0, done, at(300))));

        String text = metrics.scrape(null).text();
        assertTrue(lines(text, "atlas_export_").stream().noneMatch(l -> l.contains("job-d")), text);
        assertEquals(List.of("atlas_export_jobs{" + C0 + ",state=\"Successful\"} 0.0"),
                lines(text, "atlas_export_jobs{" + C0 + ",state=\"Successful\""));
        assertEquals(List.of("atlas_export_last_success_timestamp_seconds{" + C0 + "} 1.7000001E9"),
                lines(text, "atlas_export_last_success_timestamp_seconds{"));
    }

    @Test
    void failedPollMarksTargetDownAndKeepsTheLastSuccessfulPoll() {
        ClusterSnapshot snapshot = snapshot(CLUSTER0, at(60));
        metrics.record(firstPoll(snapshot, at(60)));
        metrics.record(failedPoll(snapshot, at(120)));

        String text = metrics.scrape(null).text();

        assertEquals(List.of("atlas_export_target_up{" + C0 + "} 0.0"), lines(text, "atlas_export_target_up{"));
        assertEquals(List.of("atlas_export_last_poll_timestamp_seconds{" + C0 + "} 1.70000006E9"),
                lines(text, "atlas_export_last_poll_timestamp_seconds{"));
        assertEquals(List.of("atlas_export_poll_duration_seconds_count{" + C0 + "} 1"),
                lines(text, "atlas_export_poll_duration_seconds_count{"));
    }

    @Test
    void clusterThatWasNeverListedHasOnlyTargetUp() {
        metrics.record(failedPoll(ClusterSnapshot.empty(CLUSTER0), at(10)));

        assertEquals(List.of("atlas_export_target_up{" + C0 + "} 0.0"),
                lines(metrics.scrape(null).text(), "atlas_export_(jobs|target|last|poll)"));
    }

    @Test
    void forgetRemovesEverySeriesOfTheClusterAndNothingElse() {
        ClusterKey other = new ClusterKey(GROUP, "Other");
        TrackedJob a = tracked(replicaSetJob("job-a", "Successful", T0, at(90), 1, 1), at(90));
        TrackedJob b = tracked(replicaSetJob("job-b", "Queued", T0, null, 0, 1), T0);
        metrics.record(firstPoll(snapshot(CLUSTER0, at(100), a), at(100)));
        metrics.record(polled(snapshot(CLUSTER0, at(200), a), at(200),
                new JobEvent.StateChanged(CLUSTER0, a, "InProgress", at(200))));
        metrics.record(firstPoll(snapshot(other, at(100), b), at(100)));

        metrics.forget(CLUSTER0);

        List<String> left = lines(metrics.scrape(null).text(), "atlas_export_");
        assertTrue(left.stream().noneMatch(l -> l.contains("Cluster0")), String.join("\n", left));
        assertTrue(left.stream().anyMatch(l -> l.contains("job-b")));
        assertTrue(left.contains("atlas_export_target_up{cluster_name=\"Other\",group_id=\"" + GROUP + "\"} 1.0"));
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() {
        metrics.record(firstPoll(snapshot(CLUSTER0, at(60), tracked(replicaSetJob("job-a", "Queued", T0, null, 0, 2), T0)), at(60)));
        // What Prometheus 2.x sends.
        String prometheusAccept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

        ScrapeResult scrape = metrics.scrape(prometheusAccept);

        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", scrape.contentType());
        String text = scrape.text();
        assertTrue(text.endsWith("# EOF\n"), text);
        assertTrue(text.contains("""
                # TYPE atlas_export_build info
                # HELP atlas_export_build Version of the monitor and the Atlas Admin API version it speaks; always 1.
                atlas_export_build_info{api_version="v2",version="1.2.3"} 1
                """), text);
        assertTrue(text.contains("# TYPE atlas_export_job info\n"), text);
        assertTrue(text.contains("""
                # TYPE atlas_export_transitions counter
                # HELP atlas_export_transitions Export job state changes observed by the monitor; from=\\"none\\" when a job is first seen, including the jobs already listed at the first poll of a cluster.
                atlas_export_transitions_total{cluster_name="Cluster0",from="none",group_id="G",to="Queued"} 1.0
                """.replace("\"G\"", "\"" + GROUP + "\"")), text);
        assertTrue(text.contains("# TYPE atlas_export_jobs_stuck gauge\n"), text);
    }

    @Test
    void plainTextForOtherAcceptHeaders() {
        for (String accept : new String[]{null, "", "*/*", "text/plain", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"}) {
            ScrapeResult scrape = metrics.scrape(accept);
            assertEquals(ExportMetrics.TEXT_CONTENT_TYPE, scrape.contentType(), accept);
            assertTrue(scrape.text().startsWith("# HELP atlas_export_build_info "), accept);
            assertFalse(scrape.text().contains("# EOF"), accept);
        }
    }

    @Test
    void clustersRecordedConcurrentlyAreAllCounted() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = IntStream.range(0, 4).<Future<?>>mapToObj(i -> pool.submit(() -> {
                ClusterKey key = new ClusterKey(GROUP, "C" + i);
                for (int poll = 0; poll < 500; poll++) {
                    TrackedJob job = tracked(replicaSetJob("j" + poll, "Queued", T0, null, 0, 1), T0);
                    metrics.record(polled(snapshot(key, at(poll), job), at(poll),
                            new JobEvent.JobSeen(key, job, at(poll), false)));
                    metrics.exchangeListener().onExchange(new Exchange("GET", "/x", 200, GROUP));
                }
            })).toList();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        String text = metrics.scrape(null).text();
        for (int i = 0; i < 4; i++) {
            assertEquals(List.of("atlas_export_transitions_total{cluster_name=\"C" + i + "\",from=\"none\",group_id=\""
                    + GROUP + "\",to=\"Queued\"} 500.0"), lines(text, "atlas_export_transitions_total{cluster_name=\"C" + i + "\""));
        }
        assertEquals(List.of("atlas_export_api_requests_total{endpoint=\"/x\",method=\"GET\",status=\"200\"} 2000.0"),
                lines(text, "atlas_export_api_requests_total{"));
    }
}
