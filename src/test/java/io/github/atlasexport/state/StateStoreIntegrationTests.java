package io.github.atlasexport.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.ClusterSnapshot;
import io.github.atlasexport.monitor.DepartedJob;
import io.github.atlasexport.monitor.DiffResult;
import io.github.atlasexport.monitor.ExportJobDiffer;
import io.github.atlasexport.monitor.JobEvent;
import io.github.atlasexport.monitor.TrackedJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SQLite state store on real files: round trips, writes that cost what changed, damage and imports. */
class StateStoreIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration MEMORY = Duration.ofDays(7);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ClusterKey REPLICA_SET = new ClusterKey("5f0a1b2c3d4e5f6a7b8c9d0e", "Cluster0");
    private static final ClusterKey SHARDED = new ClusterKey("5f0a1b2c3d4e5f6a7b8c9d0e", "Sharded-1");
    private static final ClusterKey UNPOLLED = new ClusterKey("aaaaaaaaaaaaaaaaaaaaaaaa", "New0");
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00.123456789Z");

    @TempDir
    Path dir;

    private final List<StateStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(StateStore::close);
    }

    private StateStore store(Path path) {
        StateStore store = new StateStore(path);
        stores.add(store);
        return store;
    }

    private StateStore loaded(Path path) {
        StateStore store = store(path);
        store.load();
        return store;
    }

    private Path statePath() {
        return dir.resolve("state.db");
    }

    // ---- a state with every field ----

    private static ExportJob replicaSetJob(String id, String state) {
        return new ExportJob(id, "snap-" + id, "bucket-1", T0.minusSeconds(600), T0.minusSeconds(5), "exports/" + id,
                state, new ExportJob.StateReason("EXPORT_FAILED", "bucket unreachable"), "legacy message",
                new ExportJob.ExportStatus(3, 12), null,
                List.of(new ExportJob.CustomData("team", "payments"), new ExportJob.CustomData("env", "prod")));
    }

    private static ExportJob shardedJob(String id, String state) {
        return new ExportJob(id, "snap-" + id, "bucket-2", T0.minusSeconds(60), null, null, state, null, null, null,
                List.of(new ExportJob.Component("c1", "shard-0"), new ExportJob.Component("c2", "shard-1")), null);
    }

    private static JsonNode notice(String id) {
        ObjectNode entry = JSON.createObjectNode().put("sink", "webhook:hooks.example.com").put("attempts", 3);
        entry.putObject("notice").put("id", id).put("alertname", "AtlasExportJobFailed")
                .putArray("tags").add(1).add(true).addNull();
        return entry;
    }

    private static Map<String, Map<String, Object>> outbox(String... ids) {
        Map<String, Object> entries = new LinkedHashMap<>();
        for (String id : ids) {
            entries.put("webhook/" + id, notice(id));
        }
        return Map.of("outbox", entries);
    }

    private static Map<String, TrackedJob> replicaSetJobs() {
        Map<String, TrackedJob> jobs = new LinkedHashMap<>();
        jobs.put("z-failed", new TrackedJob(replicaSetJob("z-failed", ExportState.FAILED),
                T0.minusSeconds(900), T0.minusSeconds(5), T0.minusSeconds(5), false));
        jobs.put("a-paused", new TrackedJob(replicaSetJob("a-paused", "Paused"),
                T0.minusSeconds(900), T0.minusSeconds(800), T0.minusSeconds(800), false));
        jobs.put("m-stuck", new TrackedJob(replicaSetJob("m-stuck", ExportState.QUEUED),
                T0.minusSeconds(7200), T0.minusSeconds(7200), T0.minusSeconds(9000), true));
        return jobs;
    }

    private static PersistedState richState() {
        Map<String, TrackedJob> shardedJobs = Map.of("s1", new TrackedJob(shardedJob("s1", ExportState.IN_PROGRESS),
                T0, T0, T0.minusSeconds(60), false));
        Map<String, DepartedJob> departed = Map.of("d-gone", new DepartedJob(new TrackedJob(
                replicaSetJob("d-gone", ExportState.CANCELLED), T0.minusSeconds(9000), T0.minusSeconds(8000),
                T0.minusSeconds(8000), false), T0.minusSeconds(60)));
        return new PersistedState(
                Map.of(REPLICA_SET, new ClusterSnapshot(REPLICA_SET, replicaSetJobs(), T0, T0.minusSeconds(7200), departed),
                        SHARDED, new ClusterSnapshot(SHARDED, shardedJobs, T0.plusSeconds(1)),
                        UNPOLLED, ClusterSnapshot.empty(UNPOLLED)),
                outbox("n-1", "n-2"));
    }

    private static PersistedState stateNumbered(int n) {
        return new PersistedState(Map.of(), outbox("alert-" + n));
    }

    private List<Path> filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private long count(Path database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    // ---- load / save ----

    @Test
    void aMissingDatabaseLoadsAsEmptyAndIsCreatedPrivateToTheMonitorsUser() throws IOException {
        assertEquals(PersistedState.empty(), store(statePath()).load());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(statePath())));
    }

    @Test
    void everyFieldSurvivesARoundTripThroughTheDatabase() {
        StateStore first = loaded(statePath());
        first.save(richState());
        first.close();
        assertEquals(richState(), store(statePath()).load());
    }

    @Test
    void aCrashedProcessLeavesEverySavedRowReadable() throws Exception {
        // Closing nothing, as kill -9 would: the WAL holds the commits and the next open replays it.
        StateStore crashed = new StateStore(statePath());
        crashed.load();
        crashed.save(richState());
        assertEquals(richState(), store(statePath()).load());
    }

    @Test
    void aSaveWritesOnlyTheRowsThatChanged() {
        StateStore store = loaded(statePath());
        PersistedState before = richState();
        store.save(before);
        long afterFirst = store.rowsWritten();
        assertEquals(3 + 5 + 2, afterFirst, "3 clusters, 4 jobs and a departed one, 2 notices");

        // One job changes (the rest are the same objects, as the differ keeps them), one notice is delivered.
        Map<String, TrackedJob> jobs = new LinkedHashMap<>(before.clusters().get(REPLICA_SET).jobs());
        jobs.put("m-stuck", new TrackedJob(replicaSetJob("m-stuck", ExportState.IN_PROGRESS),
                T0.minusSeconds(7200), T0, T0, false));
        Map<ClusterKey, ClusterSnapshot> clusters = new HashMap<>(before.clusters());
        clusters.put(REPLICA_SET, new ClusterSnapshot(REPLICA_SET, jobs, T0, T0.minusSeconds(7200),
                before.clusters().get(REPLICA_SET).departed()));
        Map<String, Object> notices = new LinkedHashMap<>(before.documents("outbox"));
        notices.remove("webhook/n-1");
        store.save(new PersistedState(clusters, Map.of("outbox", notices)));

        assertEquals(2, store.rowsWritten() - afterFirst, "one job row replaced, one notice deleted");
        store.save(new PersistedState(clusters, Map.of("outbox", notices)));
        assertEquals(2, store.rowsWritten() - afterFirst, "an unchanged state writes nothing");
        store.close();
        PersistedState reloaded = store(statePath()).load();
        assertEquals(ExportState.IN_PROGRESS, reloaded.snapshotOf(REPLICA_SET).jobs().get("m-stuck").state());
        assertEquals(List.of("webhook/n-2"), List.copyOf(reloaded.documents("outbox").keySet()));
    }

    @Test
    void aClusterThatLeavesTakesItsJobsWithIt() throws SQLException {
        StateStore store = loaded(statePath());
        store.save(richState());
        Map<ClusterKey, ClusterSnapshot> clusters = new HashMap<>(richState().clusters());
        clusters.remove(REPLICA_SET);
        store.save(new PersistedState(clusters, Map.of()));
        store.close();
        assertEquals(1, count(statePath(), "SELECT count(*) FROM jobs"));
        assertEquals(0, count(statePath(), "SELECT count(*) FROM documents"));
    }

    @Test
    void jobsComeBackNewestFirstAsAtlasListsThem() {
        StateStore store = loaded(statePath());
        Map<String, TrackedJob> jobs = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            ExportJob job = new ExportJob("job-" + i, null, null, T0.plusSeconds(i), null, null, ExportState.QUEUED,
                    null, null, null, null, null);
            jobs.put(job.id(), new TrackedJob(job, T0, T0, T0, false));
        }
        store.save(new PersistedState(Map.of(REPLICA_SET, new ClusterSnapshot(REPLICA_SET, jobs, T0)), Map.of()));
        store.close();
        assertEquals(List.of("job-4", "job-3", "job-2", "job-1", "job-0"),
                List.copyOf(store(statePath()).load().snapshotOf(REPLICA_SET).jobs().keySet()));
    }

    @Test
    void moreJobsThanALoadBatchAllLoadAndAnUnreadableOneInTheLastBatchIsSetAside() throws SQLException {
        StateStore store = loaded(statePath());
        Map<String, TrackedJob> jobs = new LinkedHashMap<>();
        int total = StateLoad.LOAD_BATCH + 3;
        for (int i = 0; i < total; i++) {
            ExportJob job = new ExportJob(String.format(Locale.ROOT, "job-%06d", i), null, null, T0.plusSeconds(i), null,
                    null, ExportState.SUCCESSFUL, null, null, null, null, null);
            jobs.put(job.id(), new TrackedJob(job, T0, T0, T0, false));
        }
        store.save(new PersistedState(Map.of(REPLICA_SET, new ClusterSnapshot(REPLICA_SET, jobs, T0)), Map.of()));
        store.close();
        String last = String.format(Locale.ROOT, "job-%06d", total - 1);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + statePath());
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE jobs SET first_seen = 'never' WHERE job_id = '" + last + "'");
        }
        Map<String, TrackedJob> loaded = store(statePath()).load().snapshotOf(REPLICA_SET).jobs();
        assertEquals(total - 1, loaded.size());
        assertFalse(loaded.containsKey(last));
        assertEquals(1, count(statePath(), "SELECT count(*) FROM set_aside WHERE reason LIKE '%first_seen%'"));
    }

    // ---- damage ----

    @Test
    void aFileThatIsNotADatabaseIsMovedAsideAndTheStateStartsEmpty() throws IOException {
        Files.write(statePath(), "this is not SQLite, nor JSON".getBytes(StandardCharsets.UTF_8));
        assertEquals(PersistedState.empty(), store(statePath()).load());
        List<Path> files = filesInDir();
        assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().startsWith("state.db.corrupt-")), files::toString);
        assertTrue(Files.size(statePath()) > 0, "a fresh database took its place");
    }

    @Test
    void aJobRowThatCannotBeReadIsSetAsideAndTheRestLoads() throws SQLException {
        StateStore first = loaded(statePath());
        first.save(richState());
        first.close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + statePath());
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE jobs SET state_since = 'yesterday' WHERE job_id = 'a-paused'");
        }
        PersistedState loaded = store(statePath()).load();
        assertEquals(3, loaded.snapshotOf(REPLICA_SET).jobs().size() + loaded.snapshotOf(SHARDED).jobs().size());
        assertFalse(loaded.snapshotOf(REPLICA_SET).jobs().containsKey("a-paused"));
        assertEquals(2, loaded.documents("outbox").size(), "the notices all load");
        assertEquals(1, count(statePath(), "SELECT count(*) FROM set_aside WHERE reason LIKE '%state_since%'"));
    }

    @Test
    void aDocumentItsOwnerCannotReadIsSetAsideWithItsReason() throws SQLException {
        StateStore store = loaded(statePath());
        store.save(richState());
        store.setAside("outbox", "webhook/n-1", "no notice id");
        store.save(new PersistedState(richState().clusters(), outbox("n-2")));
        store.close();
        assertEquals(1, count(statePath(), "SELECT count(*) FROM documents"));
        assertEquals(1, count(statePath(), "SELECT count(*) FROM set_aside WHERE what = 'outbox webhook/n-1' "
                + "AND reason = 'no notice id' AND body LIKE '%n-1%'"));
    }

    @Test
    void aDirectoryAtTheStatePathIsAConfigurationError() throws IOException {
        Files.createDirectories(statePath());
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> store(statePath()).load());
        assertTrue(error.getMessage().contains("is a directory"), error.getMessage());
    }

    @Test
    void aWriteThatFailsIsCountedKeepsNothingHalfDoneAndTheNextSaveCatchesUp() throws Exception {
        try (FailingDisk disk = FailingDisk.under(dir)) {
            Path path = disk.dir().resolve("state.db");
            StateStore store = loaded(path);
            store.save(stateNumbered(1));
            Instant lastSuccess = store.lastWriteSuccess();
            assertNotNull(lastSuccess);

            disk.fail();
            StepVerifier.create(store.saveAsync(bigState(2))).expectError(UncheckedIOException.class).verify(WAIT);
            assertEquals(1, store.writeErrors());
            assertEquals(lastSuccess, store.lastWriteSuccess());

            disk.recover();
            StepVerifier.create(store.saveAsync(stateNumbered(3))).verifyComplete();
            store.close();
            assertEquals(stateNumbered(3), store(path).load());
        }
    }

    /** Large enough not to fit in what a full disk has left (SQLite reuses free pages of its own). */
    private static PersistedState bigState(int n) {
        Map<String, Object> notices = new LinkedHashMap<>();
        for (int i = 0; i < 2_000; i++) {
            notices.put("webhook/" + n + "-" + i, notice("x".repeat(200) + i));
        }
        return new PersistedState(Map.of(), Map.of("outbox", notices));
    }

    // ---- the JSON state file of earlier versions ----

    private static final String LEGACY_JSON = """
            {"version": 1,
             "clusters": {"5f0a1b2c3d4e5f6a7b8c9d0e/Cluster0": {"observedAt": "2024-05-01T10:00:00Z", "jobs": [
               {"job": {"id": "j1", "state": "Failed", "createdAt": "2024-05-01T09:00:00Z"},
                "firstSeen": "2024-05-01T09:00:00Z", "stateSince": "2024-05-01T09:30:00Z",
                "stuckClockStart": "2024-05-01T09:30:00Z", "stuck": false}]}},
             "alerts": {"state": {"fired": ["AtlasExportJobFailed/5f0a1b2c3d4e5f6a7b8c9d0e/Cluster0/j1"]},
                        "outbox": [{"sink": "webhook:x", "attempts": 0}]}}
            """;

    @Test
    void aJsonFileAtTheStatePathIsImportedOnceAndRenamed() throws IOException {
        Path json = dir.resolve("state.json");
        Files.writeString(json, LEGACY_JSON);
        PersistedState loaded = store(json).load();
        assertEquals(ExportState.FAILED, loaded.snapshotOf(REPLICA_SET).jobs().get("j1").state());
        JsonNode alerts = StateStore.legacyAlerts(loaded);
        assertNotNull(alerts);
        assertEquals("webhook:x", alerts.path("outbox").get(0).path("sink").asText());
        assertTrue(Files.exists(dir.resolve("state.json.imported")));
        assertFalse(StateStore.isJson(json), "the database took the path");
        stores.forEach(StateStore::close);
        stores.clear();
        assertEquals(loaded, store(json).load(), "imported once: a restart reads the database");
    }

    @Test
    void anImportedFileWrittenBeforeTheFirstPollWasKeptTakesItFromTheEarliestJobSeen() throws IOException {
        Files.writeString(dir.resolve("state.json"), LEGACY_JSON);
        assertEquals(Instant.parse("2024-05-01T09:00:00Z"), store(statePath()).load().snapshotOf(REPLICA_SET).firstPolledAt());
    }

    @Test
    void aJsonFileBesideANewDatabaseIsImported() throws IOException {
        Files.writeString(dir.resolve("state.json"), LEGACY_JSON);
        PersistedState loaded = store(statePath()).load();
        assertEquals(1, loaded.snapshotOf(REPLICA_SET).jobs().size());
        assertTrue(Files.exists(dir.resolve("state.json.imported")));
        assertFalse(Files.exists(dir.resolve("state.json")));
    }

    @Test
    void anImportCutShortBetweenItsRenamesIsFinishedOnTheNextStart() throws IOException {
        Files.writeString(dir.resolve("state.json"), LEGACY_JSON);
        store(statePath()).load();
        stores.forEach(StateStore::close);
        stores.clear();
        Files.move(statePath(), dir.resolve("state.db.importing")); // as if the last rename never happened
        assertEquals(1, store(statePath()).load().snapshotOf(REPLICA_SET).jobs().size());
    }

    @Test
    void aSavedStateDropsTheImportedAlertsOnceTheRuntimeHasTakenThem() throws IOException {
        Files.writeString(dir.resolve("state.json"), LEGACY_JSON);
        StateStore store = store(statePath());
        PersistedState loaded = store.load();
        store.save(new PersistedState(loaded.clusters(), outbox("converted")));
        store.close();
        assertNull(StateStore.legacyAlerts(store(statePath()).load()));
    }

    // ---- async ----

    @Test
    void manyAsyncSavesEndWithTheLatestWritten() {
        StateStore store = loaded(statePath());
        Flux.range(1, 50).flatMap(n -> store.saveAsync(stateNumbered(n))).blockLast(WAIT);
        store.saveAsync(stateNumbered(51)).block(WAIT);
        store.close();
        assertEquals(stateNumbered(51), store(statePath()).load());
    }

    @Test
    void closeWritesWhatIsPendingAndRefusesLaterSaves() {
        StateStore store = loaded(statePath());
        store.saveAsync(stateNumbered(7)).subscribe();
        store.close();
        StepVerifier.create(store.saveAsync(stateNumbered(8))).expectError(IllegalStateException.class).verify(WAIT);
        assertEquals(stateNumbered(7), store(statePath()).load());
    }

    @Test
    void theLastSaveIsWrittenAndLaterSavesAreRefused() {
        StateStore store = loaded(statePath());
        store.saveLast(() -> stateNumbered(2)).block(WAIT);
        StepVerifier.create(store.saveAsync(Mono.just(stateNumbered(3)).map(s -> s).block()))
                .expectError(IllegalStateException.class)
                .verify(WAIT);
        store.close();
        assertEquals(stateNumbered(2), store(statePath()).load());
    }

    @Test
    void vacuumCompactsTheFileAfterHistoryLeft() throws IOException {
        StateStore store = loaded(statePath());
        Map<String, TrackedJob> many = new LinkedHashMap<>();
        for (int i = 0; i < 2_000; i++) {
            ExportJob job = replicaSetJob("job-" + i, ExportState.SUCCESSFUL);
            many.put(job.id(), new TrackedJob(job, T0, T0, T0, false));
        }
        store.save(new PersistedState(Map.of(REPLICA_SET, new ClusterSnapshot(REPLICA_SET, many, T0)), Map.of()));
        store.save(new PersistedState(Map.of(REPLICA_SET, ClusterSnapshot.empty(REPLICA_SET)), Map.of()));
        store.close();
        long[] sizes = StateStore.vacuum(statePath());
        assertTrue(sizes[1] < 100_000, () -> "after: " + sizes[1]);
    }

    // ---- restart ----

    @Test
    void aRestartReportsOnlyTheJobThatChangedWhileTheMonitorWasDown() {
        MonitorConfig.Stuck thresholds = new MonitorConfig.Stuck(Duration.ofHours(6), Duration.ofHours(1), "warning");
        List<ExportJob> before = List.of(shardedJob("q", ExportState.QUEUED), replicaSetJob("r", ExportState.IN_PROGRESS),
                replicaSetJob("f", ExportState.FAILED), replicaSetJob("p", "Paused"));
        ClusterSnapshot polled = ExportJobDiffer.diff(ClusterSnapshot.empty(SHARDED), before, T0, thresholds, MEMORY).snapshot();
        StateStore first = loaded(statePath());
        first.save(new PersistedState(Map.of(SHARDED, polled), Map.of()));
        first.close();

        ClusterSnapshot reloaded = store(statePath()).load().snapshotOf(SHARDED);
        List<ExportJob> after = List.of(shardedJob("q", ExportState.IN_PROGRESS), replicaSetJob("r", ExportState.IN_PROGRESS),
                replicaSetJob("f", ExportState.FAILED), replicaSetJob("p", "Paused"));
        DiffResult result = ExportJobDiffer.diff(reloaded, after, T0.plusSeconds(600), thresholds, MEMORY);

        assertEquals(1, result.events().size(), () -> "events: " + result.events());
        JobEvent.StateChanged changed = assertInstanceOf(JobEvent.StateChanged.class, result.events().get(0));
        assertEquals("q", changed.job().id());
        assertEquals(ExportState.QUEUED, changed.previousState());
        assertEquals(T0, changed.job().firstSeen());
    }
}
