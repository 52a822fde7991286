package io.github.atlasexport.cli;

import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.AtlasClients;
import io.github.atlasexport.atlas.Credentials;
import io.github.atlasexport.atlas.Project;
import io.github.atlasexport.config.ConfigDefaults;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.simulator.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The embedded default: the simulator with its built-in scenario, the monitor pointed at it with
 * digest auth and every project discovered, and a webhook receiver printing the alerts. Thresholds are
 * short so that stuck jobs and missing successes show within minutes.
 */
@Command(name = "demo", description = "Simulator + monitor + metrics + a printing webhook sink, on loopback.")
final class DemoCommand implements Callable<Integer> {
    static final Credentials.Digest SIM_KEY = new Credentials.Digest("sim-public", "sim-private");
    /** A fixed demo-only secret, so the receiver can check Standard Webhooks signatures. */
    static final String DEMO_WEBHOOK_SECRET = "whsec_ZGVtby1vbmx5LXNpZ25pbmcta2V5LW5vdC1zZWNyZXQ=";

    @Option(names = "--listen", converter = ListenAddress.class, defaultValue = "127.0.0.1:9871",
            description = "HOST:PORT of the monitor (default: ${DEFAULT-VALUE})")
    MonitorConfig.Server listen;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        AtlasSimulator simulator = AtlasSimulator.start("127.0.0.1", 0, Scenario.builtIn());
        DemoWebhookReceiver receiver = new DemoWebhookReceiver(DEMO_WEBHOOK_SECRET, out);
        Path stateDir = Files.createTempDirectory("atlas-export-demo");
        MonitorConfig config = demoConfig(URI.create(simulator.baseUrl()), discoverProjects(simulator),
                receiver.url(), stateDir.resolve("state.json"), listen);
        MonitorRuntime monitor = MonitorRuntime.start(config);

        out.println("atlas-export-monitor demo");
        out.println("  status page:   " + monitor.url());
        out.println("  metrics:       " + monitor.url() + "metrics");
        out.println("  jobs (JSON):   " + monitor.url() + "api/v1/jobs");
        out.println("  alerts (JSON): " + monitor.url() + "api/v1/alerts");
        out.println("  simulator:     " + simulator.baseUrl() + "/__sim/state  (digest key sim-public / sim-private)");
        out.println("  " + config.targets().size() + " projects, clusters discovered; alerts print below as they arrive.");
        out.println("Ctrl-C stops it.");
        out.flush();
        RunCommand.awaitShutdown(() -> {
            monitor.close();
            receiver.close();
            simulator.close();
        });
        return 0;
    }

    private static List<String> discoverProjects(AtlasSimulator simulator) {
        try (AtlasClient client = AtlasClients.create(AtlasClientOptions.create(URI.create(simulator.baseUrl()), SIM_KEY))) {
            return client.listProjects().map(Project::id).collectList().block(Duration.ofSeconds(30));
        }
    }

    static MonitorConfig demoConfig(URI atlas, List<String> projects, URI webhook, Path statePath,
                                    MonitorConfig.Server listen) {
        MonitorConfig.Poll poll = new MonitorConfig.Poll(Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofDays(7));
        MonitorConfig.Stuck stuck = new MonitorConfig.Stuck(Duration.ofMinutes(2), Duration.ofMinutes(1), "warning");
        List<MonitorConfig.Target> targets = projects.stream()
                .map(groupId -> new MonitorConfig.Target(groupId, List.of(), poll, stuck))
                .toList();
        MonitorConfig.Alerts alerts = new MonitorConfig.Alerts(ConfigDefaults.FAILED, ConfigDefaults.CANCELLED, stuck,
                new MonitorConfig.Threshold(Duration.ofDays(2), "warning"),
                new MonitorConfig.Threshold(Duration.ofMinutes(1), "warning"),
                List.of(new MonitorConfig.Sink("webhook", webhook, DEMO_WEBHOOK_SECRET, null, null)));
        return new MonitorConfig(
                new MonitorConfig.Atlas(atlas, ConfigDefaults.API_VERSION, SIM_KEY, Duration.ofSeconds(10), 8, 600),
                targets, poll, alerts, listen, new MonitorConfig.State(statePath));
    }
}
