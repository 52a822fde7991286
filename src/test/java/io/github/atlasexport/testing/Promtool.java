package io.github.atlasexport.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs the real promtool ({@code $PROMTOOL}, else {@code promtool} on the PATH). A missing promtool fails the test. */
public final class Promtool {

    /** Generous: `test rules` on the shipped file takes a few seconds on a slow machine. */
    private static final long TIMEOUT_SECONDS = 60;

    /** What promtool printed, stdout and stderr together, and its exit code. */
    public record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    public static Result run(Path workingDirectory, String... args) throws IOException, InterruptedException {
        return execute(builder -> builder.directory(workingDirectory.toFile()), args);
    }

    /** {@code promtool check metrics < file}: parses a text exposition and lints it; silent and 0 when all is well. */
    public static Result checkMetrics(Path file) throws IOException, InterruptedException {
        return execute(builder -> builder.redirectInput(file.toFile()), "check", "metrics");
    }

    /** Fails unless {@code promtool check metrics} accepts the exposition in {@code file} without a word. */
    public static void assertMetricsPass(Path file) throws IOException, InterruptedException {
        Result result = checkMetrics(file);
        assertEquals("", result.output(), "promtool check metrics reported problems");
        assertEquals(0, result.exitCode(), result.output());
    }

    public static void assertSucceeds(Path workingDirectory, String... args) throws IOException, InterruptedException {
        Result result = run(workingDirectory, args);
        if (result.exitCode() != 0) {
            fail("promtool " + String.join(" ", args) + " exited " + result.exitCode() + ":\n" + result.output());
        }
    }

    private static Result execute(UnaryOperator<ProcessBuilder> setup, String... args) throws IOException, InterruptedException {
        String executable = System.getenv().getOrDefault("PROMTOOL", "promtool");
        List<String> command = new ArrayList<>(List.of(executable));
        command.addAll(List.of(args));
        // Output goes to a file, not a pipe, so a chatty promtool can never block on a full pipe buffer.
        Path output = Files.createTempFile("promtool", ".out");
        try {
            Process process;
            try {
                process = setup.apply(new ProcessBuilder(command))
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
            } catch (IOException e) {
                return fail("cannot run " + executable + " (install Prometheus' promtool or set PROMTOOL): " + e.getMessage());
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + "s");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
