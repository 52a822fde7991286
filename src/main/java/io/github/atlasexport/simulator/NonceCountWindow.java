package io.github.atlasexport.simulator;

import java.util.Arrays;

/**
 * The {@code nc} values one digest nonce has been used with, to reject replays only. A client that
 * shares a nonce among concurrent requests counts {@code nc} up in the order it signs them, but the
 * requests may arrive in any order; so, like servers that allow nonce reuse under concurrency, this
 * accepts any count not seen before within the last {@link #SIZE} below the highest, and rejects a
 * count seen already or too far below the highest to still be remembered.
 */
final class NonceCountWindow {
    static final int SIZE = 256;

    /** Bit {@code n % SIZE} is set when count {@code n}, within {@code (highest - SIZE, highest]}, was used. */
    private final long[] seen = new long[SIZE / Long.SIZE];
    private long highest;

    /** Records {@code nc}; false when it is a replay, older than the window, or not a positive count. */
    synchronized boolean admit(long nc) {
        if (nc < 1 || nc <= highest - SIZE) {
            return false;
        }
        if (nc > highest) {
            if (nc - highest >= SIZE) {
                Arrays.fill(seen, 0);
            } else {
                // The slots of the counts now leaving the window are reused by those entering it.
                for (long n = highest + 1; n < nc; n++) {
                    clear(n);
                }
            }
            highest = nc;
            set(nc);
            return true;
        }
        if (isSet(nc)) {
            return false;
        }
        set(nc);
        return true;
    }

    private boolean isSet(long n) {
        int slot = (int) (n % SIZE);
        return (seen[slot / Long.SIZE] & (1L << (slot % Long.SIZE))) != 0;
    }

    private void set(long n) {
        int slot = (int) (n % SIZE);
        seen[slot / Long.SIZE] |= 1L << (slot % Long.SIZE);
    }

    private void clear(long n) {
        int slot = (int) (n % SIZE);
        seen[slot / Long.SIZE] &= ~(1L << (slot % Long.SIZE));
    }
}
