package io.github.atlasexport.cli;

import io.github.atlasexport.config.ConfigLoader;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.runtime.MonitorRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "run", description = "Run the monitor with a YAML config file.")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    LoggingOptions logging;

    @Option(names = {"-c", "--config"}, required = true, description = "YAML config file ($${VAR} and $${VAR:-default} expanded)")
    Path config;

    @Option(names = "--shard", converter = ShardArgument.class, paramLabel = "i/N",
            description = "Watch only shard i of N (clusters with hash(groupId/clusterName) mod N == i); "
                    + "overrides the config's sharding")
    MonitorConfig.Sharding shard;

    @Override
    public Integer call() throws Exception {
        logging.apply();
        MonitorConfig effective = effectiveConfig();
        MonitorRuntime runtime = Listening.start("server.listen in " + config, () -> MonitorRuntime.start(effective));
        log.info("monitoring {} target(s), shard {}; metrics and status page at {}", effective.targets().size(),
                effective.sharding(), runtime.url());
        awaitShutdown(runtime);
        return 0;
    }

    /** The config file's, with {@code --shard} in place of its {@code sharding} when given. */
    MonitorConfig effectiveConfig() {
        MonitorConfig loaded = ConfigLoader.load(config);
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
