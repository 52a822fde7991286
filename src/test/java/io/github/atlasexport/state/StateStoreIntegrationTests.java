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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private Path statePath() {
        return dir.resolve("state.json");
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

    private static ObjectNode alertMemory(String... firedIds) {
        ObjectNode alerts = JSON.createObjectNode();
        alerts.putArray("fired").addAll(java.util.Arrays.stream(firedIds).map(JSON.getNodeFactory()::textNode).toList());
        ObjectNode entry = alerts.putArray("outbox").addObject().put("sink", "webhook:hooks.example.com").put("attempts", 3);
        entry.putObject("notice").put("alertname", "AtlasExportJobFailed").putArray("tags").add(1).add(true).addNull();
        return alerts;
    }

    private static PersistedState richState() {
        Map<String, TrackedJob> replicaSetJobs = new LinkedHashMap<>();
        replicaSetJobs.put("z-failed", new TrackedJob(replicaSetJob("z-failed", ExportState.FAILED),
                T0.minusSeconds(900), T0.minusSeconds(5), T0.minusSeconds(5), false));
        replicaSetJobs.put("a-paused", new TrackedJob(replicaSetJob("a-paused", "Paused"),
                T0.minusSeconds(900), T0.minusSeconds(800), T0.minusSeconds(800), false));
        replicaSetJobs.put("m-stuck", new TrackedJob(replicaSetJob("m-stuck", ExportState.QUEUED),
                T0.minusSeconds(7200), T0.minusSeconds(7200), T0.minusSeconds(9000), true));
        Map<String, TrackedJob> shardedJobs = Map.of("s1", new TrackedJob(shardedJob("s1", ExportState.IN_PROGRESS),
                T0, T0, T0.minusSeconds(60), false));
        Map<String, DepartedJob> departed = Map.of("d-gone", new DepartedJob(new TrackedJob(
                replicaSetJob("d-gone", ExportState.CANCELLED), T0.minusSeconds(9000), T0.minusSeconds(8000),
                T0.minusSeconds(8000), false), T0.minusSeconds(60)));
        return new PersistedState(
                Map.of(REPLICA_SET, new ClusterSnapshot(REPLICA_SET, replicaSetJobs, T0, T0.minusSeconds(7200), departed),
                        SHARDED, new ClusterSnapshot(SHARDED, shardedJobs, T0.plusSeconds(1)),
                        UNPOLLED, ClusterSnapshot.empty(UNPOLLED)),
                alertMemory("AtlasExportJobFailed/z-failed", "AtlasExportJobCancelled/x"));
    }

    private static PersistedState stateNumbered(int n) {
        return new PersistedState(Map.of(), alertMemory("alert-" + n));
    }

    private List<Path> filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    // ---- load / save ----

    @Test
    void aMissingFileLoadsAsEmptyAndCreatesNothing() throws IOException {
        assertEquals(PersistedState.empty(), store(statePath()).load());
        assertEquals(List.of(), filesInDir());
    }

    @Test
    void everyFieldSurvivesARoundTripThroughTheFile() throws IOException {
        PersistedState state = richState();
        store(statePath()).save(state);

        PersistedState loaded = store(statePath()).load();

        assertEquals(state, loaded);
        assertEquals(List.of("z-failed", "a-paused", "m-stuck"),
                List.copyOf(loaded.snapshotOf(REPLICA_SET).jobs().keySet()), "jobs keep their list order");
        assertTrue(loaded.snapshotOf(UNPOLLED).neverPolled());
        JsonNode file = JSON.readTree(statePath().toFile());
        assertEquals(1, file.get("version").asInt());
        assertTrue(file.get("clusters").has("5f0a1b2c3d4e5f6a7b8c9d0e/Sharded-1"));
        assertEquals("2024-05-01T10:00:00.123456789Z",
                file.get("clusters").get("5f0a1b2c3d4e5f6a7b8c9d0e/Cluster0").get("observedAt").asText());
    }

    @Test
    void aFileWrittenBeforeTheFirstPollWasKeptTakesItFromTheEarliestJobSeen() throws IOException {
        store(statePath()).save(richState());
        ObjectNode file = (ObjectNode) JSON.readTree(statePath().toFile());
        ObjectNode clusters = (ObjectNode) file.get("clusters");
        clusters.forEach(cluster -> ((ObjectNode) cluster).remove("firstPolledAt"));
        Files.writeString(statePath(), file.toString());

        PersistedState loaded = store(statePath()).load();

        assertEquals(T0.minusSeconds(7200), loaded.snapshotOf(REPLICA_SET).firstPolledAt());
        assertEquals(T0, loaded.snapshotOf(SHARDED).firstPolledAt());
        assertTrue(loaded.snapshotOf(UNPOLLED).neverPolled());
    }

    @Test
    void aFileWrittenBeforeDepartedJobsWereKeptLoadsWithNone() throws IOException {
        store(statePath()).save(richState());
        ObjectNode file = (ObjectNode) JSON.readTree(statePath().toFile());
        ObjectNode cluster = (ObjectNode) file.get("clusters").get("5f0a1b2c3d4e5f6a7b8c9d0e/Cluster0");
        assertTrue(cluster.has("departed"));
        assertFalse(file.get("clusters").get("5f0a1b2c3d4e5f6a7b8c9d0e/Sharded-1").has("departed"),
                "a cluster with none writes none, as before");
        cluster.remove("departed");
        Files.writeString(statePath(), JSON.writeValueAsString(file));

        ClusterSnapshot loaded = store(statePath()).load().snapshotOf(REPLICA_SET);

        assertEquals(Map.of(), loaded.departed());
        assertEquals(richState().snapshotOf(REPLICA_SET).jobs(), loaded.jobs());
    }

    @Test
    void theSameStateAlwaysGivesTheSameBytes() throws IOException {
        store(statePath()).save(richState());
        byte[] first = Files.readAllBytes(statePath());
        store(statePath()).save(store(statePath()).load());

        assertArrayEquals(first, Files.readAllBytes(statePath()));
    }

    @Test
    void saveCreatesParentDirectoriesAndLeavesOnlyTheStateFile() throws IOException {
        Path nested = dir.resolve("data/deeper/state.json");
        StateStore store = store(nested);

        store.save(richState());
        store.save(stateNumbered(2));

        try (Stream<Path> files = Files.list(nested.getParent())) {
            assertEquals(List.of(nested), files.toList());
        }
        assertEquals(stateNumbered(2), store(nested).load());
        if (nested.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
        }
    }

    @Test
    void aFailedWriteLeavesThePreviousFileIntact() throws IOException {
        StateStore store = store(statePath());
        store.save(stateNumbered(1));
        // Something we did not create sits at the temp path, so the temp file cannot be written.
        Path blocker = Files.createDirectories(dir.resolve("state.json.tmp"));
        Files.writeString(blocker.resolve("keep"), "not ours");

        UncheckedIOException failure = assertThrows(UncheckedIOException.class, () -> store.save(stateNumbered(2)));

        assertTrue(failure.getMessage().contains(statePath().toString()), failure.getMessage());
        assertEquals(stateNumbered(1), store(statePath()).load());
        assertTrue(Files.exists(blocker.resolve("keep")), "the save must not delete what is not its own");

        Files.delete(blocker.resolve("keep"));
        Files.delete(blocker);
        store.save(stateNumbered(2));
        assertEquals(stateNumbered(2), store(statePath()).load());
    }

    @Test
    void aTempFileLeftByACrashIsOverwritten() throws IOException {
        Files.writeString(dir.resolve("state.json.tmp"), "{\"version\": 1, \"half a wri");

        store(statePath()).save(stateNumbered(3));

        assertEquals(List.of(statePath()), filesInDir());
        assertEquals(stateNumbered(3), store(statePath()).load());
    }

    static Stream<Arguments> corruptFiles() throws IOException {
        Path scratch = Files.createTempDirectory("state-fixture");
        try (StateStore store = new StateStore(scratch.resolve("s.json"))) {
            store.save(richState());
        }
        String valid = Files.readString(scratch.resolve("s.json"));
        Files.delete(scratch.resolve("s.json"));
        Files.delete(scratch);
        return Stream.of(
                Arguments.of("garbage", "\u0000\u00ffnot json at all"),
                Arguments.of("empty file", ""),
                Arguments.of("truncated JSON", valid.substring(0, valid.length() / 2)),
                Arguments.of("wrong version", valid.replaceFirst("\"version\" : 1", "\"version\" : 2")),
                Arguments.of("no version", "{\"clusters\": {}}"),
                Arguments.of("trailing garbage", valid + "}{"),
                Arguments.of("a JSON array", "[1, 2, 3]"),
                Arguments.of("bad cluster key", "{\"version\": 1, \"clusters\": {\"no-slash\": {\"jobs\": []}}}"),
                Arguments.of("job without firstSeen", valid.replaceFirst("\"firstSeen\" : \"[^\"]*\",", "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptFiles")
    void aCorruptFileIsMovedAsideAndTheStateStartsEmpty(String kind, String content) throws IOException {
        Files.writeString(statePath(), content, StandardCharsets.ISO_8859_1);
        byte[] original = Files.readAllBytes(statePath());

        PersistedState loaded = store(statePath()).load();

        assertEquals(PersistedState.empty(), loaded);
        assertFalse(Files.exists(statePath()));
        List<Path> files = filesInDir();
        assertEquals(1, files.size(), () -> "files: " + files);
        assertTrue(files.get(0).getFileName().toString().matches("state\\.json\\.corrupt-\\d{8}T\\d{6}Z"),
                files.get(0).toString());
        assertArrayEquals(original, Files.readAllBytes(files.get(0)));
    }

    @Test
    void corruptFilesSetAsideInTheSameSecondAreAllKept() throws IOException {
        for (int i = 0; i < 3; i++) {
            Files.writeString(statePath(), "broken " + i);
            assertEquals(PersistedState.empty(), store(statePath()).load());
        }
        List<Path> files = filesInDir();
        assertEquals(3, files.size(), () -> "files: " + files);
    }

    @Test
    void aDirectoryAtTheStatePathIsAConfigurationError() throws IOException {
        Files.createDirectories(statePath());

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> store(statePath()).load());
        assertTrue(error.getMessage().contains("is a directory"), error.getMessage());
    }

    @Test
    void createTakesThePathFromTheConfig() {
        StateStore store = StateStore.create(new MonitorConfig.State(statePath()));
        stores.add(store);
        assertEquals(statePath().toAbsolutePath(), store.path());
    }

    // ---- asynchronous saves ----

    @Test
    void manyAsyncSavesEndWithTheLatestOnDisk() {
        StateStore store = store(statePath());

        Flux.range(1, 200)
                .flatMap(i -> store.saveAsync(stateNumbered(i)), 200)
                .then()
                .block(WAIT);

        assertEquals(stateNumbered(200), store(statePath()).load());
    }

    @Test
    void aLazyStateIsTakenWhenItsWriteBeginsAndABurstCostsOneSnapshot() throws InterruptedException {
        StateStore store = store(statePath());
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.saveAsync(() -> {
            writing.countDown();
            await(release);
            return stateNumbered(1);
        }).subscribe();
        assertTrue(writing.await(WAIT.toSeconds(), TimeUnit.SECONDS));

        AtomicInteger taken = new AtomicInteger();
        AtomicInteger latest = new AtomicInteger();
        Flux<Void> burst = Flux.range(2, 50)
                .doOnNext(latest::set)
                .flatMap(i -> store.saveAsync(() -> {
                    taken.incrementAndGet();
                    return stateNumbered(latest.get());
                }), 50);
        Mono<Void> done = burst.then().cache();
        done.subscribe();
        release.countDown();
        done.block(WAIT);

        assertEquals(1, taken.get(), "the saves queued behind a running write share one snapshot");
        assertEquals(stateNumbered(51), store(statePath()).load());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void flushWaitsForSubmittedSavesButAnUnsubscribedSaveDoesNothing() {
        StateStore store = store(statePath());
        store.saveAsync(stateNumbered(1));
        store.flush();
        assertFalse(Files.exists(statePath()));

        store.saveAsync(richState()).subscribe();
        store.flush();

        assertEquals(richState(), store(statePath()).load());
    }

    @Test
    void anAsyncSaveThatCannotWriteReportsTheFailure() throws IOException {
        StateStore store = store(statePath());
        Path blocker = Files.createDirectories(dir.resolve("state.json.tmp"));
        Files.writeString(blocker.resolve("keep"), "not ours");

        store.saveAsync(stateNumbered(1))
                .as(StepVerifier::create)
                .expectError(UncheckedIOException.class)
                .verify(WAIT);
        assertThrows(UncheckedIOException.class, store::flush);

        Files.delete(blocker.resolve("keep"));
        Files.delete(blocker);
        store.saveAsync(stateNumbered(2))
                .as(StepVerifier::create)
                .verifyComplete();
        store.flush();
        assertEquals(stateNumbered(2), store(statePath()).load());
    }

    @Test
    void closeWritesWhatIsPendingAndRefusesLaterSaves() {
        StateStore store = new StateStore(statePath());
        store.saveAsync(stateNumbered(5)).subscribe();
        store.close();

        assertEquals(stateNumbered(5), store(statePath()).load());
        store.saveAsync(stateNumbered(6))
                .as(StepVerifier::create)
                .expectError(IllegalStateException.class)
                .verify(WAIT);
    }

    @Test
    void theLastSaveIsWrittenAndLaterSavesAreRefused() {
        StateStore store = new StateStore(statePath());
        store.saveAsync(stateNumbered(1)).subscribe();
        Mono<Void> last = store.saveLast(() -> stateNumbered(2));

        last.block(WAIT);
        assertEquals(stateNumbered(2), store(statePath()).load());
        store.saveAsync(stateNumbered(3))
                .as(StepVerifier::create)
                .expectError(IllegalStateException.class)
                .verify(WAIT);
        store.close();
        assertEquals(stateNumbered(2), store(statePath()).load());
    }

    // ---- restart ----

    @Test
    void aRestartReportsOnlyTheJobThatChangedWhileTheMonitorWasDown() {
        MonitorConfig.Stuck thresholds = new MonitorConfig.Stuck(Duration.ofHours(6), Duration.ofHours(1), "warning");
        List<ExportJob> before = List.of(shardedJob("q", ExportState.QUEUED), replicaSetJob("r", ExportState.IN_PROGRESS),
                replicaSetJob("f", ExportState.FAILED), replicaSetJob("p", "Paused"));
        ClusterSnapshot polled = ExportJobDiffer.diff(ClusterSnapshot.empty(SHARDED), before, T0, thresholds, MEMORY).snapshot();
        store(statePath()).save(new PersistedState(Map.of(SHARDED, polled), null));

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
