package io.github.atlasexport.atlas;

import io.github.atlasexport.alert.AlertBook;
import io.github.atlasexport.alert.AlertNotice;
import io.github.atlasexport.alert.AlertState;
import io.github.atlasexport.atlas.ScriptedAtlasServer.Recorded;
import io.github.atlasexport.atlas.ScriptedAtlasServer.Reply;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterPoller;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.JobEvent;
import io.github.atlasexport.monitor.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fake Atlas whose offset-paged list changes between two page requests, or answers one list or page
 * empty, polled over loopback by the real client, poller, differ and rules: no job drops out of the
 * tracked set, and no alert is raised twice or for history.
 */
class ShiftingListIntegrationTests {
    static final String GROUP = "5f0a1b2c3d4e5f60718293a4";
    static final ClusterKey CLUSTER = new ClusterKey(GROUP, "Cluster0");
    static final Credentials.Digest API_KEY = new Credentials.Digest("public-key", "private-key");
    static final MonitorConfig.Stuck STUCK = new MonitorConfig.Stuck(Duration.ofHours(6), Duration.ofHours(1), "warning");
    static final MonitorConfig.Alerts ALERTS = new MonitorConfig.Alerts(new MonitorConfig.Toggle(true, "critical"),
            new MonitorConfig.Toggle(true, "warning"), STUCK, new MonitorConfig.Threshold(Duration.ZERO, "warning"),
            new MonitorConfig.Threshold(Duration.ofMinutes(10), "warning"), List.of());
    static final Instant LAST_YEAR = Instant.parse("2025-03-14T09:00:00Z");

    /** Atlas's offset paging over a list (newest first) that tests change between two page requests. */
    static final class PagedJobs implements Function<Recorded, Reply> {
        final List<String> jobs = new CopyOnWriteArrayList<>();
        private final Map<Integer, Runnable> afterPage = new ConcurrentHashMap<>();

        @Override
        public Reply apply(Recorded request) {
            Map<String, String> query = new HashMap<>();
            for (String pair : URI.create(request.uri()).getRawQuery().split("&")) {
                String[] parts = pair.split("=", 2);
                query.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
            int pageNum = Integer.parseInt(query.getOrDefault("pageNum", "1"));
            int perPage = Integer.parseInt(query.getOrDefault("itemsPerPage", "100"));
            List<String> now = List.copyOf(jobs);
            int from = Math.min((pageNum - 1) * perPage, now.size());
            int to = Math.min(from + perPage, now.size());
            String count = "false".equals(query.get("includeCount")) ? "" : ",\"totalCount\":" + now.size();
            Runnable change = afterPage.remove(pageNum);
            if (change != null) {
                change.run();
            }
            return Reply.json(200, "{\"results\":[" + String.join(",", now.subList(from, to)) + "]" + count + ",\"links\":[]}");
        }

        /** Once, right after page {@code pageNum} is answered, the list changes. */
        void onceAfterPage(int pageNum, Runnable change) {
            afterPage.put(pageNum, change);
        }
    }

    static String id(int n) {
        return String.format("%024x", n);
    }

    /** A job as Atlas v2 lists it; {@code finishedAt} null for one still running. */
    static String job(String id, String state, Instant finishedAt) {
        Instant created = finishedAt != null ? finishedAt.minus(Duration.ofHours(1)) : Instant.now().minus(Duration.ofMinutes(30));
        return "{\"id\":\"" + id + "\",\"snapshotId\":\"snap-" + id + "\",\"exportBucketId\":\"66bb00000000000000000002\","
                + "\"createdAt\":\"" + created + "\"" + (finishedAt != null ? ",\"finishedAt\":\"" + finishedAt + "\"" : "")
                + ",\"state\":\"" + state + "\",\"prefix\":\"exported_snapshots/x\"}";
    }

    /** {@code n} finished jobs, all from last year: history to the monitor. Every 7th Failed, every 11th Cancelled. */
    static List<String> history(int n) {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String state = i % 7 == 0 ? "Failed" : i % 11 == 0 ? "Cancelled" : "Successful";
            jobs.add(job(id(i), state, LAST_YEAR.plusSeconds(i)));
        }
        return jobs;
    }

    ScriptedAtlasServer server;
    PagedJobs atlas;
    AtlasClient client;
    ClusterPoller poller;
    ClusterSnapshot snapshot = ClusterSnapshot.empty(CLUSTER);
    AlertBook rules = AlertBook.of(AlertState.empty());
    Observation last;

    @BeforeEach
    void start() {
        atlas = new PagedJobs();
        server = new ScriptedAtlasServer(API_KEY).handler(atlas);
        client = AtlasClients.create(AtlasClientOptions.create(server.baseUrl(), API_KEY)
                .withRequestTimeout(Duration.ofSeconds(10))
                .withRequestsPerMinute(10_000)
                .withRetryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), 0.5, Duration.ofSeconds(5))));
        poller = new ClusterPoller(client, Schedulers.parallel());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    /** One poll through the poller, the differ and the rules, as the monitor makes it: its notices. */
    List<String> poll() {
        last = poller.poll(snapshot, STUCK, Duration.ofDays(7)).block(Duration.ofSeconds(30));
        assertTrue(last.succeeded(), () -> "poll failed: " + last.error());
        snapshot = last.snapshot();
        return rules.evaluate(last, last.at(), ALERTS, STUCK).notices().stream()
                .map(ShiftingListIntegrationTests::describe).toList();
    }

    static String describe(AlertNotice notice) {
        return notice.alertname() + " " + notice.status().wire() + " " + notice.labels().get("job_id");
    }

    List<String> events() {
        return last.events().stream().map(e -> e.getClass().getSimpleName() + " " + e.job().id()).toList();
    }

    @Test
    void aJobAddedAtTheHeadBetweenTwoPagesIsTrackedAtOnceAndNothingRepeats() {
        atlas.jobs.addAll(history(600));
        assertEquals(List.of(), poll(), "the first poll: all history");
        assertEquals(600, snapshot.jobs().size());

        String added = id(1000);
        atlas.onceAfterPage(1, () -> atlas.jobs.add(0, job(added, "Failed", Instant.now())));
        List<String> notices = poll();

        assertEquals(601, snapshot.jobs().size(), "the added job is listed, nothing is lost");
        assertEquals(List.of("JobSeen " + added), events());
        assertEquals(List.of("AtlasExportJobFailed firing " + added), notices);
        assertEquals(List.of(), poll());
        assertEquals(List.of(), events());
    }

    @Test
    void aJobRemovedAtTheHeadBetweenTwoPagesLosesNoOtherJob() {
        atlas.jobs.addAll(history(600));
        poll();

        atlas.onceAfterPage(1, () -> atlas.jobs.remove(0));
        assertEquals(List.of(), poll());

        assertEquals(List.of("JobLeft " + id(0)), events(), "the first job of page 2 slid onto page 1, not out of sight");
        assertEquals(599, snapshot.jobs().size());
        assertEquals(List.of(), poll(), "no job is back as news");
        assertEquals(List.of(), events());
    }

    @Test
    void aListThatShiftsOnEveryWalkIsWalkedTwiceThenTakenEachJobOnce() {
        List<String> jobs = history(600);
        List<String> shifted = new ArrayList<>(jobs);
        shifted.add(0, job(id(1000), "Successful", Instant.now()));
        String firstPage = "{\"results\":[" + String.join(",", jobs.subList(0, 500)) + "],\"totalCount\":600}";
        String secondPage = "{\"results\":[" + String.join(",", shifted.subList(500, 601)) + "],\"totalCount\":601}";
        server.script(Reply.json(200, firstPage), Reply.json(200, secondPage), Reply.json(200, firstPage),
                Reply.json(200, secondPage));

        List<ExportJob> listed = client.listExportJobs(GROUP, CLUSTER.clusterName()).collectList().block(Duration.ofSeconds(30));

        assertEquals(4, server.authorized().size(), "one walk again, not more");
        assertEquals(600, listed.size());
        assertEquals(600, listed.stream().map(ExportJob::id).distinct().count());
    }

    @Test
    void onePageThatComesBackEmptyLosesNoJob() {
        atlas.jobs.addAll(history(600));
        poll();

        List<String> all = List.copyOf(atlas.jobs);
        atlas.onceAfterPage(1, () -> atlas.jobs.subList(500, 600).clear());
        atlas.onceAfterPage(2, () -> atlas.jobs.addAll(all.subList(500, 600)));
        assertEquals(List.of(), poll());

        assertEquals(List.of(), events());
        assertEquals(600, snapshot.jobs().size());
        assertEquals(List.of(), poll());
    }

    @Test
    void oneEmptyListLosesNoJobAndRaisesNoAlert() {
        atlas.jobs.addAll(history(3));
        poll();

        server.script(Reply.json(200, "{\"results\":[],\"totalCount\":0,\"links\":[]}"));
        assertEquals(List.of(), poll());

        assertEquals(List.of(), events(), "the empty list was listed again, not believed");
        assertEquals(3, snapshot.jobs().size());
        assertEquals(List.of(), poll(), "no old Failed or Cancelled job alerts as news");
    }

    @Test
    void aFailureAlertedOnceIsNotAlertedAgainAfterTheJobMissedOneList() {
        atlas.jobs.addAll(history(4));
        String running = id(100);
        atlas.jobs.add(0, job(running, "InProgress", null));
        poll();

        atlas.jobs.set(0, job(running, "Failed", Instant.now()));
        assertEquals(List.of("AtlasExportJobFailed firing " + running), poll());

        String failed = atlas.jobs.remove(0);
        assertEquals(List.of(), poll());
        assertEquals(List.of("JobLeft " + running), events());

        atlas.jobs.add(0, failed);
        assertEquals(List.of(), poll(), "back in the list: alerted already");
        assertEquals(5, snapshot.jobs().size());
    }
}
