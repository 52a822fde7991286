package io.github.atlasexport.simulator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NonceCountWindowUnitTests {
    private final NonceCountWindow window = new NonceCountWindow();

    @Test
    void acceptsEachCountOnceInAnyOrder() {
        for (long nc : new long[] {2, 1, 7, 3, 6, 4, 5}) {
            assertTrue(window.admit(nc), "nc " + nc);
        }
        for (long nc = 1; nc <= 7; nc++) {
            assertFalse(window.admit(nc), "replayed nc " + nc);
        }
        assertTrue(window.admit(8));
    }

    @Test
    void rejectsCountsThatAreNotPositive() {
        assertFalse(window.admit(0));
        assertFalse(window.admit(-1));
    }

    @Test
    void forgetsNothingInsideTheWindowAndRejectsEverythingBelowIt() {
        assertTrue(window.admit(1000));
        assertTrue(window.admit(1000 - NonceCountWindow.SIZE + 1), "the lowest count still in the window");
        assertFalse(window.admit(1000 - NonceCountWindow.SIZE), "below the window: cannot tell, so refused");
        assertFalse(window.admit(1000 - NonceCountWindow.SIZE + 1), "replay at the bottom edge");
    }

    @Test
    void slotsReusedAsTheWindowSlidesStartEmpty() {
        for (long nc = 1; nc <= NonceCountWindow.SIZE; nc++) {
            assertTrue(window.admit(nc));
        }
        // Slides by one: count SIZE + 1 takes the slot count 1 had, and must not look used.
        assertTrue(window.admit(NonceCountWindow.SIZE + 2));
        assertTrue(window.admit(NonceCountWindow.SIZE + 1));
        assertFalse(window.admit(NonceCountWindow.SIZE + 1));
        assertFalse(window.admit(2), "fell out of the window");
        // A jump of more than a window clears everything.
        assertTrue(window.admit(10 * NonceCountWindow.SIZE));
        assertTrue(window.admit(10 * NonceCountWindow.SIZE - 1));
    }
}
