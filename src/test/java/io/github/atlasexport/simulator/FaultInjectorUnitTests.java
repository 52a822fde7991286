package io.github.atlasexport.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultInjectorUnitTests {
    private static final String G = "6560a1b2c3d4e5f600000001";

    @Test
    void aCountedFaultFiresExactlyThatOften() {
        FaultInjector faults = new FaultInjector();
        faults.set(List.of(Fault.error(503).times(2)));
        assertEquals(503, faults.before(G, "C").failure().status());
        assertEquals(List.of(Fault.error(503).times(1)), faults.active());
        assertEquals(503, faults.before(null, null).failure().status());
        assertNull(faults.before(G, "C").failure());
        assertEquals(List.of(), faults.active());
    }

    @Test
    void scopesLimitWhichRequestsAreHit() {
        FaultInjector faults = new FaultInjector();
        faults.set(List.of(Fault.reset().forCluster(G, "C"), Fault.error(500).forGroup(G)));
        assertEquals(Fault.Kind.RESET, faults.before(G, "C").failure().kind());
        assertEquals(Fault.Kind.ERROR, faults.before(G, "D").failure().kind());
        assertEquals(Fault.Kind.ERROR, faults.before(G, null).failure().kind());
        assertNull(faults.before("6560a1b2c3d4e5f600000002", "C").failure());
        assertNull(faults.before(null, null).failure());
    }

    @Test
    void latenciesAddUpAndMalformedIsAskedSeparately() {
        FaultInjector faults = new FaultInjector();
        faults.set(List.of(Fault.latency(Duration.ofMillis(100)), Fault.latency(Duration.ofMillis(50)), Fault.malformed().times(1)));
        FaultInjector.Decision decision = faults.before(G, "C");
        assertEquals(Duration.ofMillis(150), decision.latency());
        assertNull(decision.failure());
        assertTrue(faults.malformed(G, "C"));
        assertFalse(faults.malformed(G, "C"));
    }

    @Test
    void faultsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> Fault.error(404));
        assertThrows(IllegalArgumentException.class, () -> Fault.reset().sometimes(0));
        assertThrows(IllegalArgumentException.class, () -> Fault.reset().times(0));
        assertThrows(IllegalArgumentException.class, () -> new Fault(Fault.Kind.LATENCY, null, null, null, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Fault(Fault.Kind.RESET, null, "C", null, null, null, null, null));
        assertEquals(Duration.ofSeconds(10), Fault.rateLimited(null).retryAfter());
    }

    @Test
    void theRateLimiterLetsABurstThroughThenAsksToWaitUntilRefilled() {
        SimClock clock = SimClock.startingAt(Instant.parse("2026-11-24T10:00:00Z"));
        RateLimiter limiter = new RateLimiter(Scenario.RateLimit.perMinute(6, 2), clock);
        assertEquals(0, limiter.acquire(G));
        assertEquals(0, limiter.acquire(G));
        assertEquals(10, limiter.acquire(G));
        assertEquals(0, limiter.acquire("6560a1b2c3d4e5f600000002"), "buckets are per group");
        clock.advance(Duration.ofSeconds(4));
        assertEquals(6, limiter.acquire(G));
        clock.advance(Duration.ofSeconds(6));
        assertEquals(0, limiter.acquire(G));
        assertEquals(0, new RateLimiter(Scenario.RateLimit.OFF, clock).acquire(G));
    }
}
