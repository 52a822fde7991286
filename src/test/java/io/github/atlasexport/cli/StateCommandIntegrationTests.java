package io.github.atlasexport.cli;

import io.github.atlasexport.state.PersistedState;
import io.github.atlasexport.state.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateCommandIntegrationTests {
    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void vacuumRewritesTheDatabaseAndSaysHowBigItIs() {
        Path database = dir.resolve("state.db");
        try (StateStore store = new StateStore(database)) {
            store.load();
            store.save(PersistedState.empty());
        }
        Run vacuum = run("state", "vacuum", "--path", database.toString());
        assertEquals(0, vacuum.exitCode(), vacuum::toString);
        assertTrue(vacuum.out().contains(database + ": "), vacuum::toString);
        assertTrue(Files.isRegularFile(database));
    }

    @Test
    void vacuumNamesWhatIsMissing() {
        Run noArgs = run("state", "vacuum");
        assertEquals(2, noArgs.exitCode(), noArgs::toString);
        assertTrue(noArgs.err().contains("--config or --path"), noArgs::toString);
        Run missing = run("state", "vacuum", "--path", dir.resolve("absent.db").toString());
        assertEquals(1, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("absent.db"), missing::toString);
    }
}
