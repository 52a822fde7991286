package io.github.atlasexport.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports for peers that must be told their port before they start (Prometheus, Alertmanager, apache2). */
public final class Ports {

    private Ports() {
    }

    /** A loopback port that was free a moment ago; nothing listens on it once this returns. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
