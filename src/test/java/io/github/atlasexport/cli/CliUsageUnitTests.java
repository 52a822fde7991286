package io.github.atlasexport.cli;

import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.Credentials;
import io.github.atlasexport.config.MonitorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.atlasexport.cli.CliIntegrationTests.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Usage of the command line through the real {@link Main}: help, and exit code 2 for every usage error. */
class CliUsageUnitTests {
    private static final String GROUP = "5f0a1b2c3d4e5f6a7b8c9d01";

    @ParameterizedTest
    @ValueSource(strings = {"run", "demo", "simulate", "check-config", "jobs", "jobs list", "jobs get", "jobs create",
            "jobs watch", "help"})
    void helpOnEveryCommandPrintsItsUsageAndExitsZeroEvenWithRequiredOptions(String command) {
        for (String flag : List.of("--help", "-h")) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add(flag);

            CliIntegrationTests.Run help = run(Map.of(), args.toArray(String[]::new));

            assertEquals(0, help.exitCode(), help::toString);
            assertTrue(help.out().startsWith("Usage: atlas-export-monitor " + command + " "), help::toString);
            assertEquals("", help.err());
        }
    }

    @Test
    void everyCommandOfTheTreeHasAHelpOption() {
        List<CommandLine> all = new ArrayList<>(List.of(Main.commandLine()));
        for (int i = 0; i < all.size(); i++) {
            CommandLine command = all.get(i);
            assertTrue(command.getCommandSpec().findOption("--help") != null, command.getCommandName());
            all.addAll(command.getSubcommands().values());
        }
        assertTrue(all.size() >= 10, "walked " + all.size());
    }

    @Test
    void helpWithASubcommandPathShowsThatSubcommand() {
        CliIntegrationTests.Run help = run(Map.of(), "help", "jobs", "list");

        assertEquals(0, help.exitCode(), help::toString);
        assertTrue(help.out().startsWith("Usage: atlas-export-monitor jobs list "), help::toString);
        assertTrue(help.out().contains("--json"), help::toString);
    }

    @Test
    void helpTextShowsNoUnexpandedOrNullVariables() {
        List<CommandLine> all = new ArrayList<>(List.of(Main.commandLine()));
        for (int i = 0; i < all.size(); i++) {
            String usage = all.get(i).getUsageMessage();
            assertFalse(usage.contains("null"), usage);
            assertFalse(usage.matches("(?s).*\\$\\{(DEFAULT-VALUE|COMPLETION-CANDIDATES|FALLBACK-VALUE)}.*"), usage);
            all.addAll(all.get(i).getSubcommands().values());
        }
        assertTrue(run(Map.of(), "run", "--help").out().contains("(${VAR} and ${VAR:-default}"));
    }

    @Test
    void runShardOverridesTheConfigsSharding(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("monitor.yaml"), """
                atlas:
                  auth:
                    digest: {publicKey: p, privateKey: k}
                targets:
                  - groupId: %s
                sharding: {shards: 2, shard: 1}
                """.formatted(GROUP));
        RunCommand fromConfig = new RunCommand();
        new CommandLine(fromConfig).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--config", config.toString());
        RunCommand fromFlag = new RunCommand();
        new CommandLine(fromFlag).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--config", config.toString(), "--shard", "2/3");

        assertEquals(new MonitorConfig.Sharding(2, 1), fromConfig.effectiveConfig().sharding());
        assertEquals(new MonitorConfig.Sharding(3, 2), fromFlag.effectiveConfig().sharding());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "frob                                                     | Unmatched argument at index 0: 'frob'",
            "run --bogus -c x.yaml                                    | Unknown option: '--bogus'",
            "run                                                      | Missing required option: '--config=<config>'",
            "check-config                                             | Missing required option: '--config=<config>'",
            "help nope                                                | Unknown command: 'nope'",
            "jobs watch --id j1 --every abc                           | '--every': must be a whole number of seconds, 1 or more, got 'abc'",
            "jobs watch --id j1 --every 0                             | '--every': must be a whole number of seconds, 1 or more, got '0'",
            "jobs watch --id j1 --every -5                            | '--every': must be a whole number of seconds, 1 or more, got '-5'",
            "run -c x.yaml --shard 3/3                                | '--shard': shard must be 0..2, got 3",
            "run -c x.yaml --shard 0/0                                | '--shard': shards must be 1..1024, got 0",
            "run -c x.yaml --shard two                                | '--shard': must be SHARD/SHARDS like 0/3, got 'two'",
            "demo --listen nonsense                                   | '--listen': must be HOST:PORT",
            "simulate --listen 127.0.0.1:65536                        | '--listen': must be HOST:PORT with a port 0..65535",
            "jobs create --snapshot s --bucket b --custom novalue     | should be in KEY=VALUE format but was novalue",
            "jobs list -g XYZ                                         | '--group': must be a project id of 24 lower-case hex digits",
            "jobs list --cluster bad_name                             | '--cluster': must be a cluster name",
            "jobs list --api-version v3                               | '--api-version': must be v2 or v1.0, got 'v3'",
            "jobs list --base-url notaurl                             | '--base-url': must be an absolute http(s) URL",
            "jobs get                                                 | Missing required option: '--id=<id>'",
            "jobs list --public-key a --client-id b -g " + GROUP + " --cluster Orders | give exactly one of --public-key or --client-id",
    })
    void everyUsageErrorExitsTwoAndNamesTheProblem(String args, String message) {
        CliIntegrationTests.Run bad = run(Map.of(), args.split(" +"));

        assertEquals(Main.EXIT_USAGE, bad.exitCode(), bad::toString);
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains(message), bad::toString);
        assertEquals("", bad.out());
    }

    @Test
    void jobsFlagsGivenWithAConfigOverrideTheConfigsValues(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("monitor.yaml"), """
                atlas:
                  baseUrl: https://config.example.com
                  apiVersion: v2
                  requestTimeout: 7s
                  auth:
                    digest: {publicKey: config-public, privateKey: "${CONFIG_KEY}"}
                targets:
                  - groupId: %s
                    clusters: [Orders]
                """.formatted(GROUP));
        Map<String, String> env = Map.of("CONFIG_KEY", "config-private", "ATLAS_CLIENT_SECRET", "flag-secret");

        JobsCommand.ClusterOptions flags = parsed(env, "--config", config.toString(), "--base-url", "http://127.0.0.1:9",
                "--api-version", "v1.0", "--client-id", "flag-client", "--group", "5f0a1b2c3d4e5f6a7b8c9d99",
                "--cluster", "Ledger");
        AtlasClientOptions options = flags.connection.clientOptions();
        assertEquals(URI.create("http://127.0.0.1:9"), options.baseUrl());
        assertEquals(ApiVersion.V1_0, options.apiVersion());
        assertEquals(new Credentials.ServiceAccount("flag-client", "flag-secret"), options.credentials());
        assertEquals(java.time.Duration.ofSeconds(7), options.requestTimeout(), "what no flag sets comes from the config");
        assertEquals("5f0a1b2c3d4e5f6a7b8c9d99", flags.group());
        assertEquals("Ledger", flags.clusterName());

        AtlasClientOptions configOnly = parsed(env, "--config", config.toString()).connection.clientOptions();
        assertEquals(URI.create("https://config.example.com"), configOnly.baseUrl());
        assertEquals(ApiVersion.V2, configOnly.apiVersion());
        assertEquals(new Credentials.Digest("config-public", "config-private"), configOnly.credentials());
    }

    @Test
    void withoutAConfigTheFlagsDefaultToAtlasAndV2() {
        AtlasClientOptions options = parsed(Map.of("ATLAS_PRIVATE_KEY", "k"), "--public-key", "p").connection.clientOptions();

        assertEquals(AtlasClientOptions.DEFAULT_BASE_URL, options.baseUrl());
        assertEquals(ApiVersion.V2, options.apiVersion());
    }

    /** {@code jobs list} with {@code args}, parsed but not run. */
    private static JobsCommand.ClusterOptions parsed(Map<String, String> env, String... args) {
        CommandLine cli = Main.commandLine();
        JobsCommand.ClusterOptions command = cli.getSubcommands().get("jobs").getSubcommands().get("list").getCommand();
        command.connection.env = env::get;
        List<String> all = new ArrayList<>(List.of("jobs", "list"));
        all.addAll(List.of(args));
        cli.parseArgs(all.toArray(String[]::new));
        return command;
    }
}
