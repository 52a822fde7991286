package io.github.atlasexport.cli;

import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.runtime.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "demo", description = "Simulator + monitor + metrics + a printing webhook sink, on loopback.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    LoggingOptions logging;

    @Option(names = "--listen", converter = ListenAddress.class, defaultValue = "127.0.0.1:9871",
            description = "HOST:PORT of the monitor (default: ${DEFAULT-VALUE})")
    MonitorConfig.Server listen;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        logging.apply();
        PrintWriter out = spec.commandLine().getOut();
        Demo demo = Listening.start("--listen", () -> Demo.start(listen, out));
        String monitor = demo.monitorUrl();
        out.println("atlas-export-monitor demo");
        out.println("  status page:   " + monitor);
        out.println("  metrics:       " + monitor + "metrics");
        out.println("  jobs (JSON):   " + monitor + "api/v1/jobs");
        out.println("  alerts (JSON): " + monitor + "api/v1/alerts");
        out.println("  simulator:     " + demo.simulatorUrl() + "  (digest key sim-public / sim-private)");
        out.println("    control API: GET " + demo.simulatorUrl() + "/__sim/ lists the routes, e.g.");
        out.println("                 GET  /__sim/state                       clock, jobs by state, faults");
        out.println("                 POST /__sim/clock/advance {\"duration\":\"5m\"}  move the simulated clock");
        out.println("                 PUT  /__sim/jobs/{groupId}/{cluster}/{jobId}/state {\"state\":\"Failed\"}");
        out.println("  " + demo.projects() + " projects, clusters discovered; alerts print below as they arrive.");
        out.println("Ctrl-C stops it.");
        out.flush();
        RunCommand.awaitShutdown(demo);
        return 0;
    }
}
