package io.github.atlasexport.cli;

import io.github.atlasexport.config.ConfigLoader;
import io.github.atlasexport.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "state", description = "Maintain the state database (state.path).",
        subcommands = StateCommand.Vacuum.class)
final class StateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: pick one of the commands below");
    }

    @Command(name = "vacuum", description = "Rewrite the state database compactly. Run it while the monitor is stopped.")
    static final class Vacuum implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, description = "YAML config file: its state.path")
        Path config;

        @Option(names = "--path", description = "the state database itself, instead of --config")
        Path path;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if ((config == null) == (path == null)) {
                throw new UsageException("give either --config or --path");
            }
            Path database = path != null ? path : ConfigLoader.load(config).state().path();
            long[] sizes = StateStore.vacuum(database);
            spec.commandLine().getOut().printf("%s: %,d bytes -> %,d bytes%n", database, sizes[0], sizes[1]);
            return 0;
        }
    }
}
