package io.github.atlasexport.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs the command-line tools tests use as peers (openssl, htpasswd, curl), with a bounded wait. */
public final class Commands {
    private Commands() {
    }

    /** What a finished command printed (stdout and stderr together) and its exit code. */
    public record Result(int exitCode, String output) {
    }

    /** Runs {@code command} in {@code dir}; a missing tool or a run over 30 s fails the test. */
    public static Result run(Path dir, List<String> command) {
        Path output = null;
        try {
            // Into a file, not read from a pipe: reading would block past the 30 s if the command hung.
            output = Files.createTempFile("command", ".out");
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                Processes.stop(process);
                return fail(String.join(" ", command) + " did not finish within 30 s: " + Files.readString(output));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return fail("cannot run " + command.get(0) + " (install it: see .ci/run): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted running " + command.get(0));
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }

    /** Runs {@code command} and fails the test unless it exits 0; returns its output. */
    public static String ok(Path dir, String... command) {
        Result result = run(dir, List.of(command));
        if (result.exitCode() != 0) {
            fail(String.join(" ", command) + " exited " + result.exitCode() + ": " + result.output());
        }
        return result.output();
    }

    /** A bcrypt hash of {@code password} as {@code htpasswd -nbB} (Debian package {@code apache2-utils}) writes it. */
    public static String htpasswd(Path dir, String user, String password) {
        String line = ok(dir, "htpasswd", "-nbB", user, password).strip();
        return line.substring(line.indexOf(':') + 1);
    }
}
