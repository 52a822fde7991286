package io.github.atlasexport.monitor;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.config.MonitorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterPollerUnitTests {
    private static final ClusterKey CLUSTER = new ClusterKey("5f0a1b2c3d4e5f6a7b8c9d0e", "Cluster0");
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final MonitorConfig.Stuck STUCK = new MonitorConfig.Stuck(Duration.ofHours(6), Duration.ofHours(1), "warning");
    private static final Duration MEMORY = Duration.ofDays(7);

    private static ExportJob job(String id) {
        return new ExportJob(id, "snap-" + id, "bucket-1", T0.minusSeconds(3600), T0.minusSeconds(60), "exports/" + id,
                "Successful", null, null, null, null, null);
    }

    private static List<ExportJob> jobs(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> job("j" + i)).toList();
    }

    private static ClusterSnapshot polled(List<ExportJob> jobs) {
        return ExportJobDiffer.diff(ClusterSnapshot.empty(CLUSTER), jobs, T0, STUCK, MEMORY).snapshot();
    }

    @ParameterizedTest(name = "{0} known, listed {1}..{2}: suspect {3}")
    @CsvSource({
            "0, 0, 0, false",     // nothing known, nothing listed
            "3, 0, 0, true",      // empty while jobs were known
            "3, 0, 3, false",     // the same
            "4, 1, 4, false",     // one of four gone: an ordinary departure
            "4, 2, 4, true",      // half gone
            "1000, 0, 500, true", // a page lost
            "1000, 500, 1000, true",
            "1000, 1, 1000, false",
            "4, 4, 8, true",      // all known gone, though as many new are listed
    })
    void aListLackingMostKnownJobsIsSuspect(int known, int from, int to, boolean suspect) {
        assertEquals(suspect, ClusterPoller.suspect(polled(jobs(0, known)), jobs(from, to)));
    }

    @Test
    void aSuspectListIsListedAgainAndASecondOneThatAgreesIsBelieved() {
        ScriptedAtlasClient atlas = new ScriptedAtlasClient();
        ClusterSnapshot previous = polled(jobs(0, 4));
        atlas.jobs.put(CLUSTER, List.of());

        Observation observation = new ClusterPoller(atlas, Schedulers.immediate()).poll(previous, STUCK, MEMORY).block();

        assertEquals(2, atlas.callsFor(CLUSTER));
        assertTrue(observation.snapshot().jobs().isEmpty());
        assertEquals(4, observation.events().stream().filter(JobEvent.JobLeft.class::isInstance).count());
    }

    @Test
    void anOrdinaryListIsListedOnce() {
        ScriptedAtlasClient atlas = new ScriptedAtlasClient();
        List<ExportJob> listed = new ArrayList<>(jobs(1, 4));
        listed.add(job("new"));
        atlas.jobs.put(CLUSTER, listed);

        Observation observation = new ClusterPoller(atlas, Schedulers.immediate())
                .poll(polled(jobs(0, 4)), STUCK, MEMORY).block();

        assertEquals(1, atlas.callsFor(CLUSTER));
        assertEquals(4, observation.snapshot().jobs().size());
    }

    @Test
    void eachUnknownStateIsLoggedOnceAtItsFirstSight() {
        ScriptedAtlasClient atlas = new ScriptedAtlasClient();
        ExportJob paused = new ExportJob("p1", "snap-p1", "bucket-1", T0, null, "exports/p1", "Paused",
                null, null, null, null, null);
        ExportJob pausedToo = new ExportJob("p2", "snap-p2", "bucket-1", T0, null, "exports/p2", "Paused",
                null, null, null, null, null);
        atlas.jobs.put(CLUSTER, List.of(job("j0"), paused, pausedToo));
        ClusterPoller poller = new ClusterPoller(atlas, Schedulers.immediate());
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(ClusterPoller.class);
        logged.start();
        logger.addAppender(logged);
        try {
            ClusterSnapshot snapshot = ClusterSnapshot.empty(CLUSTER);
            for (int poll = 0; poll < 3; poll++) {
                snapshot = poller.poll(snapshot, STUCK, MEMORY).block().snapshot();
            }
        } finally {
            logger.detachAppender(logged);
        }

        List<String> aboutPaused = logged.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(message -> message.contains("'Paused'")).toList();
        assertEquals(1, aboutPaused.size(), () -> "logged: " + aboutPaused);
        assertTrue(aboutPaused.get(0).contains("not documented"), aboutPaused.get(0));
    }
}
