package io.github.atlasexport.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loopback ports for peers started as processes of their own. Best is to let the peer bind port 0 and read
 * the port it says it bound ({@link #announced}); a peer that must be told its port before it starts gets
 * one found free ({@link #free}), but another process may bind that port in between: {@link #retryingTaken}
 * starts it again on another.
 */
public final class Ports {
    private static final int TRIES = 5;
    /** Go's {@code bind: address already in use}, Java's {@code Address already in use}, the monitor's {@code address in use}. */
    private static final Pattern TAKEN = Pattern.compile("address (already )?in use");
    /** exporter-toolkit's line once it has bound (Prometheus, Alertmanager): the real port, also when told port 0. */
    private static final Pattern LISTENING = Pattern.compile("msg=\"Listening on\" address=127\\.0\\.0\\.1:(\\d+)");

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

    /** Starts something on a port it is given. */
    @FunctionalInterface
    public interface Starter<T> {
        T start(int port) throws IOException;
    }

    /**
     * {@code start} on a port found free; if it fails because something else bound that port first (its
     * failure says "address already in use", as a peer's log does when the failure quotes it), again on
     * another port, up to 5 tries. {@code start} must clean up after its own failure.
     */
    public static <T> T retryingTaken(Starter<T> start) throws IOException {
        for (int tried = 1; ; tried++) {
            try {
                return start.start(free());
            } catch (IOException | RuntimeException | AssertionError e) {
                if (tried == TRIES || !saysTaken(e)) {
                    throw e;
                }
                System.out.println("port taken by another process, trying another: " + firstLine(e));
            }
        }
    }

    /** Whether the failure, or one of its causes, says its address was in use. */
    public static boolean saysTaken(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && TAKEN.matcher(cause.getMessage().toLowerCase(Locale.ROOT)).find()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The port {@code process}, told to listen on {@code 127.0.0.1:0}, bound: read from its log (exporter-toolkit's
     * {@code msg="Listening on" address=127.0.0.1:PORT}). Fails, quoting the log, if it ends or says nothing within
     * {@code within}.
     */
    public static int announced(Process process, Path log, Duration within) {
        return Integer.parseInt(logged(process, log, LISTENING, within));
    }

    /**
     * The first group of the first match of {@code line} in the log of {@code process}, once it is there; fails,
     * quoting the log, if the process ends first or the line is not there within {@code within}.
     */
    public static String logged(Process process, Path log, Pattern line, Duration within) {
        String name = process.info().command().map(command -> Path.of(command).getFileName().toString()).orElse("the process");
        AtomicReference<String> found = new AtomicReference<>();
        Await.until(within, () -> "\"" + line + "\" in the log of " + name + ":\n" + read(log), () -> {
            Matcher match = line.matcher(read(log));
            if (match.find()) {
                found.set(match.group(1));
                return true;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " ended before it logged \"" + line + "\": " + read(log));
            }
            return false;
        });
        return found.get();
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
