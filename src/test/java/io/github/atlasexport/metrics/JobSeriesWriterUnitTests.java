package io.github.atlasexport.metrics;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.TrackedJob;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static io.github.atlasexport.metrics.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every scrape, in both formats, byte for byte what the prometheus-metrics writers make of library snapshots. */
class JobSeriesWriterUnitTests {
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0";

    private static void sameAsTheLibrary(ExportMetrics metrics) {
        sameAsTheLibrary(metrics, text -> text);
    }

    private static void sameAsTheLibrary(ExportMetrics metrics, UnaryOperator<String> normalized) {
        for (String accept : new String[]{null, OPENMETRICS}) {
            String expected = new String(LibraryExposition.write(LibraryExposition.snapshots(metrics), accept != null),
                    StandardCharsets.UTF_8);
            assertEquals(normalized.apply(expected), normalized.apply(metrics.scrape(accept).text()), "Accept: " + accept);
        }
    }

    @Test
    void aRealisticMonitorWithItsJvmSelfMetrics() {
        // The JVM moves on between two scrapes: its samples are compared by name and labels only, and the
        // GC pause series are left out, since a collection between the scrapes can add one (a new cause).
        Pattern jvmSampleValue = Pattern.compile("(?m)^((?!atlas_export_|#).*) \\S+$");
        Pattern gcPauseLine = Pattern.compile("(?m)^.*jvm_gc_pause.*\n");
        try (ExportMetrics metrics = RealisticState.build()) {
            sameAsTheLibrary(metrics, text -> jvmSampleValue.matcher(gcPauseLine.matcher(text).replaceAll("")).replaceAll("$1 value"));
            assertTrue(metrics.scrape(null).text().contains("\njvm_threads_live_threads "));
        }
    }

    @Test
    void nothingRecordedYet() {
        sameAsTheLibrary(bareMetrics());
    }

    @Test
    void clustersThatHaveNoJobsOrWereNeverListed() {
        ExportMetrics metrics = bareMetrics();
        metrics.record(firstPoll(snapshot(CLUSTER0, at(60)), at(60)));
        metrics.record(failedPoll(ClusterSnapshot.empty(new ClusterKey(GROUP, "Down")), at(60)));
        sameAsTheLibrary(metrics);
    }

    @Test
    void labelValuesThatNeedEscapingOrAreNotAscii() {
        ExportMetrics metrics = bareMetrics();
        ClusterKey odd = new ClusterKey("g\"1\\", "Clu\nster-é-\uD83D\uDE00-\uD800");
        metrics.record(firstPoll(snapshot(odd, at(60),
                tracked(replicaSetJob("id \"quoted\" \\ back\nline", "InProgress", T0, null, 1, 2), T0),
                tracked(replicaSetJob("back\\slash", "InProgress", T0, null, 1, 2), T0),
                tracked(replicaSetJob("new\nline", "Paused", T0, null, 1, 2), T0),
                tracked(new ExportJob("ünïcødé", "snap\"", "bücket\\", T0, null, null, "Qüeued", null, null, null,
                        List.of(), List.of()), T0)), at(60)));
        sameAsTheLibrary(metrics);
    }

    @Test
    void everyKindOfStateAndMissingField() {
        ExportMetrics metrics = bareMetrics();
        List<TrackedJob> jobs = new ArrayList<>();
        String[] states = {null, "", "Aaa", "Cancelled", "Failed", "Invented", "InProgress", "Paused", "Queued", "Successful", "Zzz"};
        for (int i = 0; i < states.length; i++) {
            Instant created = i % 3 == 0 ? null : T0.plusNanos(123_456_789L * i);
            Instant finished = i % 2 == 0 ? null : at(3600 + i).plusMillis(i);
            jobs.add(tracked(new ExportJob("job-" + i, i % 4 == 0 ? null : "snap-" + i, i % 5 == 0 ? null : "bucket-" + (i % 3),
                    created, finished, null, states[i], null, null,
                    i % 2 == 0 ? new ExportJob.ExportStatus(i, 1_000_000 * i) : null,
                    i % 2 == 0 ? List.of() : List.of(new ExportJob.Component("c", "rs")), List.of()), at(i)));
        }
        metrics.record(firstPoll(snapshot(CLUSTER0, at(7200), jobs.toArray(TrackedJob[]::new)), at(7200)));
        sameAsTheLibrary(metrics);
    }

    @Test
    void clustersOfOneNameInSeveralProjectsInterleaveInTheInfoFamily() {
        ExportMetrics metrics = bareMetrics();
        for (String group : new String[]{"6a0000000000000000000002", "6a0000000000000000000001", "5f0000000000000000000009"}) {
            ClusterKey key = new ClusterKey(group, "Shared");
            List<TrackedJob> jobs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                jobs.add(tracked(new ExportJob(group.substring(20) + "-" + i, "snap", "bucket-" + (i % 3), T0, null, null,
                        "Queued", null, null, null, List.of(), List.of()), T0));
            }
            metrics.record(firstPoll(snapshot(key, at(60), jobs.toArray(TrackedJob[]::new)), at(60)));
        }
        metrics.record(firstPoll(snapshot(new ClusterKey(GROUP, "Alone"), at(60),
                tracked(replicaSetJob("z", "Queued", T0, null, 0, 1), T0)), at(60)));
        sameAsTheLibrary(metrics);
        String text = metrics.scrape(null).text();
        assertTrue(text.indexOf("export_bucket_id=\"bucket-0\",group_id=\"6a0000000000000000000002\"")
                < text.indexOf("export_bucket_id=\"bucket-1\",group_id=\"5f0000000000000000000009\""), text);
    }
}
