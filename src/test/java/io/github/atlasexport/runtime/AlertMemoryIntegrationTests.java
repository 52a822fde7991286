package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.testing.StateDb;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.testing.Await;
import io.github.atlasexport.testing.TempDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.github.atlasexport.runtime.AlertsEndToEnd.*;

/** What the rules remember reaches the state file while the monitor runs, not only at a clean shutdown. */
class AlertMemoryIntegrationTests {
    AtlasSimulator simulator;
    Path dir;

    @BeforeEach
    void start() throws IOException {
        simulator = simulator();
        dir = Files.createTempDirectory("alert-memory");
    }

    @AfterEach
    void stop() {
        simulator.close();
        TempDirs.delete(dir);
    }

    /**
     * A cluster without jobs raises no job events, yet the rules start its "no recent success" clock at
     * the first poll. Unsaved, a crash would restart that clock, and a monitor restarted often enough
     * would never alert.
     */
    @Test
    void theFirstPollOfAClusterWithoutJobsIsSavedWithoutAShutdown() {
        Path state = dir.resolve("state.db");
        Instant before = Instant.now();
        try (MonitorRuntime monitor = MonitorRuntime.start(config(simulator, QUIET_CLUSTER, List.of(), state),
                FAST_RETRIES)) {
            awaitReady(URI.create(monitor.url()));
            Await.until(Duration.ofSeconds(30), () -> "the first poll of " + QUIET_CLUSTER + " saved", () -> {
                for (JsonNode rules : StateDb.documents(state, "alert-rules").values()) {
                    for (JsonNode times : rules.path("clusters")) {
                        if (QUIET_CLUSTER.equals(times.path("cluster").path("clusterName").asText())) {
                            return !Instant.parse(times.path("firstObserved").asText()).isBefore(before);
                        }
                    }
                }
                return false;
            });
        }
    }

}
