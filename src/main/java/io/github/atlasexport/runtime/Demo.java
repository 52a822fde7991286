package io.github.atlasexport.runtime;

import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.AtlasClients;
import io.github.atlasexport.atlas.Credentials;
import io.github.atlasexport.atlas.Project;
import io.github.atlasexport.config.ConfigDefaults;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.simulator.Scenario;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * The embedded default: the simulator with its built-in scenario, the monitor pointed at it with
 * digest auth and every project discovered, and a webhook receiver printing the alerts. Thresholds are
 * short so that stuck jobs and missing successes show within minutes.
 */
public final class Demo implements AutoCloseable {
    public static final Credentials.Digest SIM_KEY = new Credentials.Digest("sim-public", "sim-private");
    /** A fixed demo-only secret, so the receiver can check Standard Webhooks signatures. */
    public static final String DEMO_WEBHOOK_SECRET = "whsec_ZGVtby1vbmx5LXNpZ25pbmcta2V5LW5vdC1zZWNyZXQ=";

    private final AtlasSimulator simulator;
    private final DemoWebhookReceiver receiver;
    private final MonitorRuntime monitor;
    private final MonitorConfig config;
    private final Path stateDir;

    private Demo(AtlasSimulator simulator, DemoWebhookReceiver receiver, MonitorConfig config, MonitorRuntime monitor,
                 Path stateDir) {
        this.simulator = simulator;
        this.stateDir = stateDir;
        this.receiver = receiver;
        this.config = config;
        this.monitor = monitor;
    }

    /** The demo keeps its state in a temporary folder, removed on {@link #close}. */
    public Path stateDir() {
        return stateDir;
    }

    /** Starts all three; alerts are printed to {@code out} as the receiver gets them. */
    public static Demo start(MonitorConfig.Server listen, PrintWriter out) throws IOException {
        AtlasSimulator simulator = AtlasSimulator.start("127.0.0.1", 0, Scenario.builtIn());
        DemoWebhookReceiver receiver = new DemoWebhookReceiver(DEMO_WEBHOOK_SECRET, out);
        Path stateDir = Files.createTempDirectory("atlas-export-demo");
        MonitorConfig config = demoConfig(URI.create(simulator.baseUrl()), discoverProjects(simulator),
                receiver.url(), stateDir.resolve("state.db"), listen);
        return new Demo(simulator, receiver, config, MonitorRuntime.start(config), stateDir);
    }

    public String monitorUrl() {
        return monitor.url();
    }

    public String simulatorUrl() {
        return simulator.baseUrl();
    }

    public int projects() {
        return config.targets().size();
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
                targets, poll, alerts, listen, new MonitorConfig.State(statePath))
                // Coverage every 30 s: the built-in Payments/Orders misses its daily export policy 3 minutes in.
                .withCoverage(new MonitorConfig.Coverage(true, Duration.ofSeconds(30)));
    }

    @Override
    public void close() {
        monitor.close();
        receiver.close();
        simulator.close();
        deleteRecursively(stateDir);
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Only a temporary folder: the OS cleans it up eventually.
        }
    }
}
