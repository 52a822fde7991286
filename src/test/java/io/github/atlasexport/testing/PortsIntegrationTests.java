package io.github.atlasexport.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Peers started as processes get ports no other process can take from them first. */
class PortsIntegrationTests {

    @Test
    void aPeerToldAPortThatIsTakenMeanwhileStartsAgainOnAnother(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AtomicInteger tries = new AtomicInteger();
            // The first try is told the port another process holds, as when it is taken between free() and bind.
            try (LocalAlertmanager peer = Ports.retryingTaken(port -> LocalAlertmanager.startPeer(dir.resolve("am"),
                    URI.create("http://127.0.0.1:9/hook"), tries.getAndIncrement() == 0 ? taken.getLocalPort() : port,
                    List.of()))) {
                assertEquals(2, tries.get(), "started again after the taken port");
                assertNotEquals(taken.getLocalPort(), peer.url().getPort());
            }
        }
    }

    @Test
    void aFailureThatIsNotATakenPortIsNotRetried() {
        AtomicInteger tries = new AtomicInteger();
        IllegalStateException failure = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Ports.retryingTaken(port -> {
                    tries.incrementAndGet();
                    throw new IllegalStateException("no such file");
                }));
        assertEquals("no such file", failure.getMessage());
        assertEquals(1, tries.get());
    }

    @Test
    void theGoJavaAndMonitorWordingsOfATakenPortAreRecognised() {
        assertTrue(Ports.saysTaken(new AssertionError("level=error msg=\"Listen error\" err=\"listen tcp 127.0.0.1:9093: bind: address already in use\"")));
        assertTrue(Ports.saysTaken(new RuntimeException("wrapped", new java.net.BindException("Address already in use"))));
        assertTrue(Ports.saysTaken(new AssertionError("cannot listen on 127.0.0.1:9871 (set by server.listen in c.yaml): address in use")));
    }
}
