package io.github.atlasexport.simulator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NonceCountWindowUnitTests {
    private final NonceCountWindow window = new NonceCountWindow();

    @Test
    void acceptsEachCountOnceAndOnlyGoingUp() {
        for (long nc = 1; nc <= 5; nc++) {
            assertTrue(window.admit(nc), "nc " + nc);
        }
        for (long nc = 1; nc <= 5; nc++) {
            assertFalse(window.admit(nc), "replayed nc " + nc);
        }
        assertTrue(window.admit(6));
    }

    @Test
    void aCountOvertakenByAHigherOneIsRefusedAndAGapIsNot() {
        assertTrue(window.admit(2), "nc 1 never arrived");
        assertFalse(window.admit(1), "arrived after 2");
        assertTrue(window.admit(1000));
        assertFalse(window.admit(999));
        assertTrue(window.admit(1001));
    }

    @Test
    void rejectsCountsThatAreNotPositive() {
        assertFalse(window.admit(0));
        assertFalse(window.admit(-1));
    }
}
