package io.github.atlasexport.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code help [COMMAND [SUBCOMMAND]...]}: picocli's own help command looks one level deep only, so
 * {@code help jobs list} would show {@code jobs}.
 */
@Command(name = "help", helpCommand = true,
        description = "Show the usage of a command, e.g. 'help jobs list'.")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command (and subcommands) to describe")
    List<String> path = new ArrayList<>();

    private CommandLine self;
    private CommandLine.Help.ColorScheme colors;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme,
                     PrintWriter outWriter, PrintWriter errWriter) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = outWriter;
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        for (String name : path) {
            target = target.getSubcommands().get(name);
            if (target == null) {
                throw new CommandLine.ParameterException(self, "Unknown command: '" + String.join(" ", path) + "'");
            }
        }
        target.usage(out, colors);
        out.flush();
    }
}
