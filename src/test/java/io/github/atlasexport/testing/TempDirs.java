package io.github.atlasexport.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Clean-up of directories a test created itself (where JUnit's {@code @TempDir} does not fit, e.g. per run). */
public final class TempDirs {

    private TempDirs() {
    }

    /**
     * Deletes {@code root} and everything below it, deepest first; nothing happens when it is null or already
     * gone. Best effort per file: clean-up after a test must not turn its result into an error.
     */
    public static void delete(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
