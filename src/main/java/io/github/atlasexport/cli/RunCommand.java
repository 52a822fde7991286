package io.github.atlasexport.cli;

import io.github.atlasexport.config.ConfigLoader;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.runtime.ReloadingMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.concurrent.CountDownLatch;

@Command(name = "run", description = "Run the monitor with a YAML config file.")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    LoggingOptions logging;

    @Option(names = {"-c", "--config"}, required = true, description = "YAML config file ($${VAR} and $${VAR:-default} expanded)")
    Path config;

    @Option(names = "--web.config.file", paramLabel = "FILE",
            description = "exporter-toolkit web config (TLS, basic auth, headers); overrides server.webConfigFile")
    Path webConfigFile;

    @Option(names = "--web.enable-lifecycle",
            description = "Serve POST /-/reload, which reloads the config as SIGHUP does (off by default, as in Prometheus).")
    boolean enableLifecycle;

    @Option(names = "--shard", converter = ShardArgument.class, paramLabel = "i/N",
            description = "Watch only shard i of N (clusters with hash(groupId/clusterName) mod N == i); "
                    + "overrides the config's sharding")
    MonitorConfig.Sharding shard;

    @Override
    public Integer call() throws Exception {
        logging.apply();
        Supplier<MonitorConfig> configs = this::effectiveConfig;
        ReloadingMonitor monitor = Listening.start("server.listen in " + config,
                () -> ReloadingMonitor.start(configs, enableLifecycle, RunCommand::exitStopped));
        log.info("monitoring {} target(s), shard {}; metrics and status page at {}",
                monitor.current().config().targets().size(), monitor.current().config().sharding(), monitor.current().url());
        reloadOnHangup(monitor);
        awaitShutdown(monitor);
        return 0;
    }

    /**
     * A reload left no monitor running (neither config could start): exit 1, so that a supervisor
     * (Kubernetes, systemd) starts the monitor again, rather than live on serving nothing. From a thread
     * of its own: the exit runs the shutdown hook, which closes the monitor the reload still holds.
     */
    private static void exitStopped(RuntimeException failure) {
        log.error("exiting: no monitor is running after a failed reload ({})", failure.toString());
        new Thread(() -> System.exit(1), "exit").start();
    }

    /** SIGHUP reloads the config, as it does Prometheus's; on a thread of its own, since a reload blocks. */
    private static void reloadOnHangup(ReloadingMonitor monitor) {
        try {
            Signal.handle(new Signal("HUP"), signal -> new Thread(() -> {
                log.info("SIGHUP: reloading the config");
                monitor.reload();
            }, "reload").start());
        } catch (IllegalArgumentException e) {
            log.warn("SIGHUP cannot be handled on this platform ({}); restart to change the config", e.getMessage());
        }
    }

    /**
     * The config file's, with the flags in place of the keys they override ({@code --web.config.file},
     * {@code --shard}); read again on every reload.
     */
    MonitorConfig effectiveConfig() {
        MonitorConfig loaded = ConfigLoader.load(config);
        if (webConfigFile != null) {
            loaded = loaded.withServer(loaded.server().withWebConfigFile(webConfigFile));
        }
        return shard == null ? loaded : loaded.withSharding(shard);
    }

    /** Blocks main until SIGTERM/SIGINT, then closes {@code resource} (flushing the state store) before exit. */
    static void awaitShutdown(AutoCloseable resource) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                resource.close();
            } catch (Exception e) {
                log.error("error while stopping: {}", e.toString());
            } finally {
                stopped.countDown();
            }
        }, "shutdown"));
        stopped.await();
    }
}
