package io.github.atlasexport.cli;

import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.simulator.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "simulate", description = "Run the Atlas Admin API simulator alone.")
final class SimulateCommand implements Callable<Integer> {
    @Mixin
    LoggingOptions logging;

    @Option(names = "--listen", converter = ListenAddress.class, defaultValue = "127.0.0.1:9872",
            description = "HOST:PORT to listen on (default: ${DEFAULT-VALUE})")
    MonitorConfig.Server listen;

    @Option(names = "--scenario", description = "Scenario YAML file (default: the built-in scenario)")
    Path scenario;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        logging.apply();
        Scenario world;
        try {
            world = scenario == null ? Scenario.builtIn() : Scenario.load(scenario);
        } catch (IllegalArgumentException e) {
            throw new UsageException("bad scenario: " + e.getMessage());
        }
        AtlasSimulator simulator = Listening.start("--listen", () -> AtlasSimulator.start(listen.host(), listen.port(), world));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Atlas API simulator listening on " + simulator.baseUrl());
        out.println("  API:      " + simulator.baseUrl() + "/api/atlas/v2/groups   (and /api/atlas/v1.0/...)");
        out.println("  control:  " + simulator.baseUrl() + "/__sim/state");
        if (scenario == null) {
            out.println("  digest:   curl --digest -u sim-public:sim-private -H 'Accept: application/vnd.atlas.2023-01-01+json' "
                    + simulator.baseUrl() + "/api/atlas/v2/groups");
            out.println("  oauth:    service account sim-client / sim-secret at " + simulator.baseUrl() + "/api/oauth/token");
        }
        out.println("Ctrl-C stops it.");
        out.flush();
        RunCommand.awaitShutdown(simulator);
        return 0;
    }
}
