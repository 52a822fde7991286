package io.github.atlasexport.simulator;

/**
 * The {@code nc} values one digest nonce may still be used with: only counts above the highest one
 * accepted so far. So each count is accepted once (RFC 7616 section 3.4: a count seen twice is a
 * replay), and also a count that arrives after a higher one is refused, as by strict servers
 * (Apache httpd's {@code AuthDigestNcCheck} asks for exactly the next one). A client that shares one
 * nonce among concurrent requests, whose counts overtake each other on the way, fails here; one that
 * sends each nonce's counts one at a time passes, even if some never arrived (a lost request).
 */
final class NonceCountWindow {
    private long highest; // guarded by this

    /** Records {@code nc}; false when it is not above the highest count accepted, or not positive. */
    synchronized boolean admit(long nc) {
        if (nc <= highest) {
            return false;
        }
        highest = nc;
        return true;
    }
}
