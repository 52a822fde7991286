package io.github.atlasexport.atlas;

import io.github.atlasexport.simulator.RequestCounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.function.Function;

import static io.github.atlasexport.atlas.SimulatedAtlas.API_KEY;
import static io.github.atlasexport.atlas.SimulatedAtlas.PAYMENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What digest costs once the client holds its nonces, counted by the simulator: one exchange per call,
 * whether the calls come one by one or eight at a time. Eight at a time need eight nonces (the
 * simulator, like a strict server, refuses a nonce's counts out of order), each bought with one
 * challenge in the warm-up.
 */
class DigestCostSimulatorIntegrationTests {
    private static final int CALLS = 100;
    private static final double MAX_EXCHANGES_PER_CALL = 1.05;

    private SimulatedAtlas atlas;
    private AtlasClient client;

    @AfterEach
    void stop() {
        if (atlas != null) {
            atlas.close();
        }
    }

    @Test
    void sequentialListCallsCostOneExchangeEach() {
        double perCall = measure("sequential", calls -> calls.concatMap(this::listCluster0));

        assertTrue(perCall <= MAX_EXCHANGES_PER_CALL, "exchanges per call " + perCall);
    }

    @Test
    void eightConcurrentCallersCostOneExchangeEach() {
        double perCall = measure("8 concurrent callers", calls -> calls.flatMap(this::listCluster0, 8));

        assertTrue(perCall <= MAX_EXCHANGES_PER_CALL, "exchanges per call " + perCall);
    }

    /** Runs {@link #CALLS} list calls after a warm-up the same way; returns exchanges per call as the simulator counted them. */
    private double measure(String how, Function<Flux<Integer>, Flux<Long>> schedule) {
        atlas = SimulatedAtlas.start();
        client = atlas.client(API_KEY);
        schedule.apply(Flux.range(0, CALLS)).blockLast(Duration.ofSeconds(30));
        atlas.warmUp(client);

        schedule.apply(Flux.range(0, CALLS)).as(StepVerifier::create).expectNextCount(CALLS).verifyComplete();

        RequestCounts counts = atlas.sim.requestCounts();
        double perCall = counts.total() / (double) CALLS;
        System.out.printf("digest exchanges per call, %s: %.2f (%d exchanges / %d calls, %d challenges)%n",
                how, perCall, counts.total(), CALLS, counts.challenges());
        assertEquals(counts.total(), atlas.seen.size(), "the client's listener saw what the simulator counted");
        return perCall;
    }

    /** One list call (Cluster0 fits one page), as its job count. */
    private Mono<Long> listCluster0(int call) {
        return client.listExportJobs(PAYMENTS, "Cluster0").count();
    }
}
