package io.github.atlasexport.cli;

import io.github.atlasexport.atlas.ExportJob;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarUnitTests {
    private static final Instant CREATED = Instant.parse("2026-12-06T07:00:00Z");
    private static final Instant NOW = CREATED.plusSeconds(90);

    private static ExportJob job(String state, ExportJob.ExportStatus status, List<ExportJob.Component> components) {
        return new ExportJob("j1", null, null, CREATED, null, null, state, null, null, status, components, null);
    }

    private static ExportJob sharded(String state) {
        return job(state, null, List.of(new ExportJob.Component("c0", "rs-shard-0"), new ExportJob.Component("c1", "rs-shard-1")));
    }

    @Test
    void aRunningReplicaSetJobShowsCollectionsAndTimeSinceCreated() {
        assertEquals("[#########.....................] 3/10 (30%) InProgress  j1  1m30s elapsed",
                ProgressBar.render(job("InProgress", new ExportJob.ExportStatus(3, 10), null), NOW, 0));
    }

    @Test
    void aRunningShardedJobSweepsOnEveryRedrawAndBouncesAtTheEnds() {
        List<String> bars = LongStream.range(0, 20)
                .mapToObj(frame -> ProgressBar.render(sharded("InProgress"), NOW, frame).substring(0, ProgressBar.WIDTH + 2))
                .toList();

        assertEquals("[######........................]", bars.get(0));
        assertEquals("[...######.....................]", bars.get(1));
        assertEquals("[........................######]", bars.get(8));
        assertEquals("[.....................######...]", bars.get(9));
        for (int i = 1; i < bars.size(); i++) {
            assertTrue(!bars.get(i).equals(bars.get(i - 1)), "frame " + i + " moved: " + bars);
        }
        assertEquals("[######........................] 2 shards   InProgress  j1  1m30s elapsed",
                ProgressBar.render(sharded("InProgress"), NOW, 0));
    }

    @Test
    void aShardedJobIsFullWhenDoneAndEmptyWhileQueued() {
        assertEquals("[" + "#".repeat(ProgressBar.WIDTH) + "] 2/2 shards Successful  j1",
                ProgressBar.render(sharded("Successful"), NOW, 5));
        assertEquals("[" + " ".repeat(ProgressBar.WIDTH) + "] 2 shards   Queued  j1  1m30s elapsed",
                ProgressBar.render(sharded("Queued"), NOW, 5));
        assertEquals("[" + " ".repeat(ProgressBar.WIDTH) + "] 2 shards   Failed  j1",
                ProgressBar.render(sharded("Failed"), NOW, 5));
    }
}
