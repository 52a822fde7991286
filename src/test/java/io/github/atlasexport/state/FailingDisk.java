package io.github.atlasexport.state;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A folder whose writes can be made to fail for real. As root (CI), a small tmpfs mounted there and
 * filled up: a full disk. Otherwise the folder and its files made read-only (root would ignore that).
 */
final class FailingDisk implements AutoCloseable {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private final Path dir;
    private final Path filler;

    private FailingDisk(Path dir) {
        this.dir = dir;
        this.filler = dir.resolve("filler");
    }

    static FailingDisk under(Path parent) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(parent.resolve("disk"));
        if (ROOT) {
            run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.toString());
        }
        return new FailingDisk(dir);
    }

    Path dir() {
        return dir;
    }

    void fail() throws IOException {
        if (ROOT) {
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] block = new byte[4096];
                while (true) {
                    out.write(block);
                    out.flush();
                }
            } catch (IOException full) {
                // No space left on the device: what we wanted.
            }
        } else {
            permissions("r--r--r--", "r-xr-xr-x");
        }
    }

    void recover() throws IOException {
        if (ROOT) {
            Files.deleteIfExists(filler);
        } else {
            permissions("rw-r--r--", "rwxr-xr-x");
        }
    }

    private void permissions(String files, String folder) throws IOException {
        try (Stream<Path> paths = Files.list(dir)) {
            for (Path file : paths.toList()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(files));
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(folder));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        recover();
        if (ROOT) {
            run("umount", "-l", dir.toString());
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: "
                    + new String(process.getInputStream().readAllBytes()));
        }
    }
}
