package io.github.atlasexport.cli;

import io.github.atlasexport.config.ConfigLoader;
import io.github.atlasexport.config.ConfigPrinter;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.config.WebConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "check-config", description = "Validate a config file and print the effective config, secrets masked.")
final class CheckConfigCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "YAML config file")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        MonitorConfig effective = ConfigLoader.load(config);
        if (effective.server().webConfigFile() != null) {
            WebConfigLoader.load(effective.server().webConfigFile()); // its problems are the config's too
        }
        spec.commandLine().getOut().print(ConfigPrinter.render(effective));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
