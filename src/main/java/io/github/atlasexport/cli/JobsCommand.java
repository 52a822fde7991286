package io.github.atlasexport.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.atlasexport.atlas.AtlasApiException;
import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.AtlasClients;
import io.github.atlasexport.atlas.CreateExportJobRequest;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.config.ConfigDefaults;
import io.github.atlasexport.config.ConfigLoader;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.coverage.ClusterCoverage;
import io.github.atlasexport.coverage.CoverageLoop;
import io.github.atlasexport.coverage.CoverageRules;
import io.github.atlasexport.coverage.ExportPolicy;
import io.github.atlasexport.http.CoverageDocument;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.remediation.RemediationOutcome;
import io.github.atlasexport.runtime.RetryOnce;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** One-shot Atlas client commands. These run on the main thread, so blocking on the result is fine here. */
@Command(name = "jobs", description = "List, get, create, watch or retry export jobs of one cluster; show export coverage.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.GetJob.class, JobsCommand.CreateJob.class,
                JobsCommand.WatchJob.class, JobsCommand.RetryJob.class, JobsCommand.Coverage.class})
final class JobsCommand {
    /** Exit codes of {@code watch} beyond the common ones. */
    static final int EXIT_FAILED = 3;
    static final int EXIT_CANCELLED = 4;

    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** Options every jobs subcommand shares: where Atlas is and which cluster. */
    static class ClusterOptions {
        @Mixin
        AtlasConnectionOptions connection;

        @Option(names = {"-g", "--group"}, converter = AtlasArguments.GroupId.class,
                description = "Project (group) id; default: the config's first target")
        String groupId;

        @Option(names = "--cluster", converter = AtlasArguments.ClusterName.class, description = "Cluster name; default: the config's first target's first cluster")
        String cluster;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        String group() {
            if (groupId != null) {
                return groupId;
            }
            MonitorConfig.Target target = connection.defaultTarget();
            if (target == null) {
                throw new UsageException("--group is required (or --config with a target)");
            }
            return target.groupId();
        }

        String clusterName() {
            if (cluster != null) {
                return cluster;
            }
            MonitorConfig.Target target = connection.defaultTarget();
            if (target == null || target.clusters().isEmpty()) {
                throw new UsageException("--cluster is required (or --config with a target that names clusters)");
            }
            return target.clusters().get(0);
        }

        AtlasClient client() {
            return AtlasClients.create(connection.clientOptions());
        }

        /** Makes one Atlas call with a client of its own and prints the answer as JSON; exit code 0. */
        int printJson(Function<AtlasClient, Mono<?>> call) throws JsonProcessingException {
            try (AtlasClient client = client()) {
                out().println(JSON.writeValueAsString(call.apply(client).block()));
                out().flush();
                return 0;
            }
        }
    }

    @Command(name = "list", description = "List every export job of a cluster (all pages).")
    static final class ListJobs extends ClusterOptions implements Callable<Integer> {
        @Option(names = "--json", description = "Print the jobs as a JSON array")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (AtlasClient client = client()) {
                List<ExportJob> jobs = client.listExportJobs(group(), clusterName()).collectList().block();
                if (json) {
                    out().println(JSON.writeValueAsString(jobs));
                } else {
                    out().print(JobTable.render(jobs));
                }
                out().flush();
                return 0;
            }
        }
    }

    @Command(name = "get", description = "Show one export job as JSON.")
    static final class GetJob extends ClusterOptions implements Callable<Integer> {
        @Option(names = "--id", required = true, description = "Export job id")
        String id;

        @Override
        public Integer call() throws Exception {
            return printJson(client -> client.getExportJob(group(), clusterName(), id));
        }
    }

    @Command(name = "create", description = "Export one snapshot to an export bucket; prints the new job as JSON.")
    static final class CreateJob extends ClusterOptions implements Callable<Integer> {
        @Option(names = "--snapshot", required = true, description = "Snapshot id")
        String snapshotId;

        @Option(names = "--bucket", required = true, description = "Export bucket id")
        String bucketId;

        @Option(names = "--custom", description = "Custom data for the .complete file, KEY=VALUE (repeatable)")
        java.util.Map<String, String> customData = new java.util.LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            List<ExportJob.CustomData> custom = customData.entrySet().stream()
                    .map(entry -> new ExportJob.CustomData(entry.getKey(), entry.getValue()))
                    .toList();
            return printJson(client -> client.createExportJob(group(), clusterName(),
                    new CreateExportJobRequest(snapshotId, bucketId, custom)));
        }
    }

    @Command(name = "retry", description = {"Re-create a Failed export job once, as remediation.retryFailed does:",
            "same snapshot and bucket, its custom data plus the atlas-export-monitor.retryOf marker.",
            "Exits 0 when created (or with --dry-run, when it would be), 1 when skipped or refused."})
    static final class RetryJob extends ClusterOptions implements Callable<Integer> {
        @Option(names = "--id", required = true, description = "The Failed export job's id")
        String id;

        @Option(names = "--dry-run", description = "Check and say what would be created; create nothing")
        boolean dryRun;

        @Override
        public Integer call() {
            MonitorConfig.Target target = connection.defaultTarget();
            int maxAttempts = (target != null ? target.remediation() : ConfigDefaults.REMEDIATION).retryFailed().maxAttempts();
            AtlasClientOptions options = connection.clientOptions();
            try (AtlasClient client = AtlasClients.create(options)) {
                RetryOnce.Result result = RetryOnce.retry(client, new ClusterKey(group(), clusterName()), id, maxAttempts,
                        dryRun, options.requestTimeout()).block();
                String line = result.outcome() == null ? result.reason()
                        : result.outcome() == RemediationOutcome.CREATED ? "created: job " + id + " retried as job " + result.retryJobId()
                        : result.outcome().label() + ": job " + id;
                out().println(line);
                out().flush();
                return result.outcome() == RemediationOutcome.CREATED || result.outcome() == RemediationOutcome.DRY_RUN
                        ? 0 : Main.EXIT_RUNTIME;
            }
        }
    }

    @Command(name = "watch", description = {"Follow one export job with a progress bar until it ends.",
            "Exit 0 when Successful, " + EXIT_FAILED + " when Failed, " + EXIT_CANCELLED + " when Cancelled.",
            "Transient API errors (429, 5xx, timeouts) are reported and the watch goes on."})
    static final class WatchJob extends ClusterOptions implements Callable<Integer> {
        @Option(names = "--id", required = true, description = "Export job id")
        String id;

        @Option(names = "--every", converter = AtlasArguments.PositiveSeconds.class, defaultValue = "5",
                description = "Seconds between polls, 1 or more (default: ${DEFAULT-VALUE})")
        long everySeconds;

        @Override
        public Integer call() {
            boolean terminal = System.console() != null;
            try (AtlasClient client = client()) {
                ExportJob last = Flux.interval(Duration.ZERO, Duration.ofSeconds(everySeconds))
                        .onBackpressureDrop()
                        .concatMap(tick -> fetch(client))
                        .flatMap(Mono::justOrEmpty)
                        .index()
                        .doOnNext(frame -> {
                            // On a terminal the line is redrawn in place; ESC[K clears what a longer line left behind.
                            String line = ProgressBar.render(frame.getT2(), Instant.now(), frame.getT1());
                            out().print(terminal ? "\r" + line + "\u001b[K" : line + "\n");
                            out().flush();
                        })
                        .map(Tuple2::getT2)
                        .takeUntil(job -> ExportState.isTerminal(job.state()))
                        .blockLast();
                out().println();
                if (last != null && last.errorMessage() != null) {
                    out().println("Atlas says: " + last.errorMessage());
                }
                out().flush();
                return exitCode(last);
            }
        }

        private Mono<Optional<ExportJob>> fetch(AtlasClient client) {
            return client.getExportJob(group(), clusterName(), id)
                    .map(Optional::of)
                    .onErrorResume(error -> error instanceof AtlasApiException api && api.transientFault(), error -> {
                        spec.commandLine().getErr().println("\n(transient error, still watching: " + error.getMessage() + ")");
                        return Mono.just(Optional.empty());
                    });
        }

        static int exitCode(ExportJob job) {
            if (job == null) {
                return Main.EXIT_RUNTIME;
            }
            return switch (job.state()) {
                case ExportState.SUCCESSFUL -> 0;
                case ExportState.FAILED -> EXIT_FAILED;
                case ExportState.CANCELLED -> EXIT_CANCELLED;
                default -> Main.EXIT_RUNTIME;
            };
        }
    }

    @Command(name = "coverage", description = {
            "Export coverage per cluster: its auto-export policy, its recovery point (the newest snapshot a Successful",
            "export copied to its bucket), the completed snapshots not exported since, and whether the policy is met.",
            "Clusters: --cluster (of --group or the config's first target), every cluster of --group, or else every",
            "cluster of the config's targets."})
    static final class Coverage extends ClusterOptions implements Callable<Integer> {
        /** Clusters read at once: a few, well inside any request budget. */
        private static final int CONCURRENCY = 4;

        @Option(names = "--json", description = "Print the coverage as JSON, the document GET /api/v1/coverage serves")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Duration grace = connection.config == null ? ConfigDefaults.OVERDUE.grace()
                    : ConfigLoader.load(connection.config, connection.env).alerts().overdue().grace();
            try (AtlasClient client = client()) {
                Instant now = Instant.now();
                List<ClusterCoverage> clusters = clusters(client)
                        .flatMapSequential(key -> assess(client, key, now, grace), CONCURRENCY)
                        .collectList()
                        .block();
                out().print(json ? JSON.writeValueAsString(CoverageDocument.render(JSON, clusters, now)) + "\n"
                        : CoverageTable.render(clusters, now));
                out().flush();
                return 0;
            }
        }

        private Flux<ClusterKey> clusters(AtlasClient client) {
            if (cluster != null) {
                return Flux.just(new ClusterKey(group(), cluster));
            }
            if (groupId != null) {
                return everyCluster(client, groupId);
            }
            if (connection.config == null) {
                throw new UsageException("--group is required (or --config with targets)");
            }
            return Flux.fromIterable(ConfigLoader.load(connection.config, connection.env).targets())
                    .concatMap(target -> target.discoverAll() ? everyCluster(client, target.groupId())
                            : Flux.fromIterable(target.clusters()).map(name -> new ClusterKey(target.groupId(), name)));
        }

        private static Flux<ClusterKey> everyCluster(AtlasClient client, String groupId) {
            return client.listClusters(groupId).map(found -> new ClusterKey(groupId, found.name()));
        }

        /**
         * The monitor's own computation over one read of the schedule, snapshots and jobs. A one-shot read has no
         * first poll: "watched since" is now, so a policy is judged on the recovery point alone.
         */
        private static Mono<ClusterCoverage> assess(AtlasClient client, ClusterKey key, Instant now, Duration grace) {
            return client.listExportJobs(key.groupId(), key.clusterName()).collectList()
                    .zipWith(client.getBackupSchedule(key.groupId(), key.clusterName()).map(ExportPolicy::of))
                    .flatMap(read -> CoverageLoop.snapshots(client, key, read.getT1().stream().anyMatch(ExportJob::sharded))
                            .map(snapshots -> CoverageRules.assess(key, read.getT2(), now, null, snapshots, read.getT1(),
                                    now, grace)));
        }
    }
}
