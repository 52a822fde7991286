package io.github.atlasexport.cli;

import io.github.atlasexport.config.ConfigException;
import io.github.atlasexport.runtime.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the one executable jar. Exit codes: 0 ok, 1 runtime failure, 2 bad usage or config. */
@Command(name = "atlas-export-monitor",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Watches MongoDB Atlas Cloud Backup snapshot export jobs: Prometheus metrics and alerts.",
        subcommands = {
                RunCommand.class,
                DemoCommand.class,
                SimulateCommand.class,
                JobsCommand.class,
                CheckConfigCommand.class,
                StateCommand.class,
                HelpCommand.class
        })
public final class Main implements Runnable {
    static final int EXIT_RUNTIME = 1;
    static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Any parse error (unknown command or option, missing or bad value) exits with picocli's usage code, 2. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main())
                .setExecutionExceptionHandler(Main::handleExecutionException)
                .setCaseInsensitiveEnumValuesAllowed(true);
        addHelpOption(cli);
        return cli;
    }

    /** {@code -h/--help} on every command and subcommand, so that none can be left without one. */
    private static void addHelpOption(CommandLine command) {
        CommandLine.Model.CommandSpec spec = command.getCommandSpec();
        if (spec.findOption("--help") == null) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help")
                    .usageHelp(true)
                    .description("Show this help message and exit.")
                    .build());
        }
        command.getSubcommands().values().forEach(Main::addHelpOption);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: pick one of the commands below");
    }

    /** Bad config is a usage error (2) with every problem on its own line; anything else a runtime failure (1). */
    private static int handleExecutionException(Exception error, CommandLine commandLine,
                                                CommandLine.ParseResult parseResult) {
        if (error instanceof ConfigException config) {
            commandLine.getErr().println("Invalid configuration in " + config.source() + ":");
            config.problems().forEach(problem -> commandLine.getErr().println("  " + problem));
            return EXIT_USAGE;
        }
        commandLine.getErr().println("Error: " + (error.getMessage() != null ? error.getMessage() : error.toString()));
        return isUsageError(error) ? EXIT_USAGE : EXIT_RUNTIME;
    }

    private static boolean isUsageError(Throwable error) {
        return error instanceof ConfigException || error instanceof UsageException;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"atlas-export-monitor " + BuildInfo.version()};
        }
    }

}
