package io.github.atlasexport.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.AtlasClients;
import io.github.atlasexport.simulator.AtlasSimulator;
import io.github.atlasexport.simulator.Fault;
import io.github.atlasexport.simulator.JobPlan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import io.github.atlasexport.testing.SimWorld;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.atlasexport.testing.SimWorld.ORDERS;
import static io.github.atlasexport.testing.SimWorld.SHOP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line as a user runs it ({@link Main#commandLine()}), its output captured: check-config
 * on good and bad files, and the one-shot jobs commands against the real simulator.
 */
class CliIntegrationTests {
    static final String PRIVATE_KEY = "sim-private";
    static final String FULL_BAR = "[" + "#".repeat(ProgressBar.WIDTH) + "]";

    private static AtlasSimulator sim;
    private final ObjectMapper json = new ObjectMapper();

    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    @BeforeAll
    static void startSimulator() {
        sim = AtlasSimulator.start("127.0.0.1", 0, SimWorld.scenario());
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    /** Runs the CLI with {@code env} as the whole environment the jobs commands see. */
    static Run run(Map<String, String> env, String... args) {
        CommandLine cli = Main.commandLine();
        cli.getSubcommands().get("jobs").getSubcommands().values()
                .forEach(sub -> ((JobsCommand.ClusterOptions) sub.getCommand()).connection.env = env::get);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    /** A jobs command on the Orders cluster with the flags and the private key from the environment. */
    static Run jobs(String... args) {
        List<String> all = new ArrayList<>(List.of("jobs"));
        all.addAll(List.of(args));
        all.addAll(List.of("--base-url", sim.baseUrl(), "--public-key", "sim-public", "--group", SHOP, "--cluster", ORDERS));
        return run(Map.of("ATLAS_PRIVATE_KEY", PRIVATE_KEY), all.toArray(String[]::new));
    }

    @Test
    void checkConfigPrintsTheEffectiveConfigWithSecretsMasked(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("monitor.yaml"), """
                atlas:
                  auth:
                    digest: {publicKey: sim-public, privateKey: "pk-3f9a-DO-NOT-PRINT"}
                targets:
                  - groupId: %s
                    clusters: [Orders]
                alerts:
                  sinks:
                    - {type: webhook, url: "https://hooks.example.com/services/T0/B0/tok3n", secret: "whsec-DO-NOT-PRINT"}
                """.formatted(SHOP));

        Run check = run(Map.of(), "check-config", "--config", file.toString());

        assertEquals(0, check.exitCode(), check::toString);
        assertTrue(check.out().contains("publicKey: sim-public"), check::toString);
        assertTrue(check.out().contains("privateKey: '****'") || check.out().contains("privateKey: \"****\""), check::toString);
        assertTrue(check.out().contains("requestTimeout: 30s"), "defaults are spelled out");
        assertTrue(check.out().contains("https://hooks.example.com/****"), check::toString);
        for (String secret : List.of("pk-3f9a-DO-NOT-PRINT", "whsec-DO-NOT-PRINT", "tok3n")) {
            assertFalse(check.out().contains(secret) || check.err().contains(secret), "printed " + secret);
        }
        assertEquals("", check.err());
    }

    @Test
    void aBadConfigExitsTwoNamingTheFileAndEveryKeyPath(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), """
                atlas:
                  auth:
                    digest: {publicKey: sim-public, privateKey: "pk-3f9a-DO-NOT-PRINT"}
                targets:
                  - groupId: not-a-project
                poll:
                  interval: soon
                """);

        Run check = run(Map.of(), "check-config", "--config", file.toString());

        assertEquals(2, check.exitCode(), check::toString);
        assertEquals("", check.out());
        assertTrue(check.err().contains("Invalid configuration in " + file), check::toString);
        assertTrue(check.err().contains(file + ":5: targets[0].groupId: must be 24 lower-case hex digits"), check::toString);
        assertTrue(check.err().contains(file + ":7: poll.interval: "), check::toString);
        assertFalse(check.err().contains("pk-3f9a-DO-NOT-PRINT"));
    }

    @Test
    void aValueOutOfItsRangeExitsTwoForCheckConfigAndRunNamingTheKeyAndTheRange(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("huge.yaml"), """
                atlas:
                  auth:
                    digest: {publicKey: sim-public, privateKey: sim-private}
                  maxConcurrency: 100000
                targets:
                  - groupId: 5f0a1b2c3d4e5f6a7b8c9d01
                poll:
                  interval: 200000000000d
                """);

        for (String command : List.of("check-config", "run")) {
            Run check = run(Map.of(), command, "--config", file.toString());

            assertEquals(2, check.exitCode(), check::toString);
            assertTrue(check.err().contains(file + ":4: atlas.maxConcurrency: must be at most 256, got 100000 (allowed: 1..256)"),
                    check::toString);
            assertTrue(check.err().contains(file + ":8: poll.interval: duration too large: '200000000000d'"), check::toString);
        }
    }

    @Test
    void aBadWebConfigExitsTwoForCheckConfigAndRunNamingTheFileAndTheUser(@TempDir Path dir) throws IOException {
        Path web = Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  prometheus: not-a-hash\n");
        Path file = Files.writeString(dir.resolve("monitor.yaml"), """
                atlas:
                  auth:
                    digest: {publicKey: sim-public, privateKey: sim-private}
                targets:
                  - groupId: 5f0a1b2c3d4e5f6a7b8c9d01
                server: {listen: "127.0.0.1:0", webConfigFile: %s}
                state: {path: %s}
                """.formatted(web, dir.resolve("state.db")));
        Path elsewhere = Files.writeString(dir.resolve("monitor-plain.yaml"), Files.readString(file)
                .replace(", webConfigFile: " + web, ""));

        List<Run> runs = List.of(run(Map.of(), "check-config", "--config", file.toString()),
                run(Map.of(), "run", "--config", elsewhere.toString(), "--web.config.file", web.toString()));

        for (Run bad : runs) {
            assertEquals(2, bad.exitCode(), bad::toString);
            assertTrue(bad.err().contains(web + ":2: basic_auth_users.prometheus: not a bcrypt hash"), bad::toString);
            assertFalse(bad.err().contains("not-a-hash"), bad::toString);
        }
    }

    @Test
    void jobsListShowsTheClustersJobsAndNeedsThePrivateKeyFromTheEnvironment() {
        String a = sim.addJob(SHOP, ORDERS, SimWorld.WAITS_QUEUED);
        String b = sim.addJob(SHOP, ORDERS, SimWorld.WAITS_QUEUED);

        Run list = jobs("list");

        assertEquals(0, list.exitCode(), list::toString);
        assertTrue(list.out().startsWith("ID "), list::toString);
        assertTrue(list.out().lines().anyMatch(line -> line.startsWith(a) && line.contains("Queued")), list::toString);
        assertTrue(list.out().lines().anyMatch(line -> line.startsWith(b)), list::toString);

        Run noKey = run(Map.of(), "jobs", "list", "--base-url", sim.baseUrl(), "--public-key", "sim-public",
                "--group", SHOP, "--cluster", ORDERS);
        assertEquals(2, noKey.exitCode(), noKey::toString);
        assertTrue(noKey.err().contains("ATLAS_PRIVATE_KEY"), noKey::toString);
    }

    @Test
    void watchShowsProgressAndExitsZeroWhenTheJobSucceeds() {
        // Runs 3 s (not 0.8 s) of the simulator's real time: the first poll must still see it InProgress on a busy machine.
        String id = sim.addJob(SHOP, ORDERS, JobPlan.succeeding(Duration.ZERO, Duration.ofSeconds(3), 8));

        Run watch = jobs("watch", "--id", id, "--every", "1");

        assertEquals(0, watch.exitCode(), watch::toString);
        List<String> lines = watch.out().lines().filter(line -> line.startsWith("[")).toList();
        assertTrue(lines.get(0).contains("InProgress"), watch::toString);
        assertEquals(FULL_BAR + " 8/8 (100%) Successful  " + id, lines.get(lines.size() - 1), watch::toString);
    }

    @Test
    void watchExitsThreeWhenTheJobFailsAndFourWhenItIsCancelled() {
        String failing = sim.addJob(SHOP, ORDERS, JobPlan.failing(Duration.ZERO, Duration.ofMillis(500), 8, "bucket policy denies writes"));
        Run failed = jobs("watch", "--id", failing, "--every", "1");
        assertEquals(JobsCommand.EXIT_FAILED, failed.exitCode(), failed::toString);
        assertEquals(3, failed.exitCode());
        assertTrue(failed.out().lines().anyMatch(line -> line.matches("\\[#+\\.+] 4/8 \\(50%\\) +Failed +" + failing)),
                failed::toString);
        assertTrue(failed.out().contains("Atlas says: bucket policy denies writes"), failed::toString);

        String cancelled = sim.addJob(SHOP, ORDERS, SimWorld.WAITS_QUEUED);
        sim.setJobState(SHOP, ORDERS, cancelled, "Cancelled", null);
        Run watch = jobs("watch", "--id", cancelled, "--every", "1");
        assertEquals(JobsCommand.EXIT_CANCELLED, watch.exitCode(), watch::toString);
    }

    @Test
    void getPrintsJsonAndCreateExportsASnapshot(@TempDir Path dir) throws IOException {
        String existing = sim.addJob(SHOP, ORDERS, SimWorld.WAITS_QUEUED);
        // get through a config file: target from its first entry, private key from ${SIM_KEY}.
        Path config = Files.writeString(dir.resolve("monitor.yaml"), """
                atlas:
                  baseUrl: %s
                  auth:
                    digest: {publicKey: sim-public, privateKey: "${SIM_KEY}"}
                targets:
                  - groupId: %s
                    clusters: [%s]
                """.formatted(sim.baseUrl(), SHOP, ORDERS));
        Run get = run(Map.of("SIM_KEY", PRIVATE_KEY), "jobs", "get", "--config", config.toString(), "--id", existing);
        assertEquals(0, get.exitCode(), get::toString);
        JsonNode job = json.readTree(get.out());
        assertEquals(existing, job.get("id").asText());
        assertEquals("Queued", job.get("state").asText());
        assertEquals(10, job.get("exportStatus").get("totalCollections").asInt());

        // The oldest snapshot: Atlas refuses (409) a second export of one to a bucket while the first still runs,
        // and this class's jobs wait Queued on the newest.
        String oldest;
        try (AtlasClient client = AtlasClients.create(AtlasClientOptions.create(URI.create(sim.baseUrl()), SimWorld.KEY))) {
            oldest = client.listSnapshots(SHOP, ORDERS, false).blockLast(Duration.ofSeconds(10)).id();
        }
        Run create = jobs("create", "--snapshot", oldest,
                "--bucket", job.get("exportBucketId").asText(), "--custom", "team=data");
        assertEquals(0, create.exitCode(), create::toString);
        JsonNode created = json.readTree(create.out());
        String id = created.get("id").asText();
        assertNotEquals(existing, id);
        assertEquals("Queued", created.get("state").asText());
        assertEquals(oldest, created.get("snapshotId").asText());
        assertEquals("data", created.get("customData").get(0).get("value").asText());
        assertTrue(jobs("list").out().lines().anyMatch(line -> line.startsWith(id)), "the new job is listed");
    }

    @Test
    void aOneDigitPortInTheBaseUrlIsThatPortNotPartOfTheHostName() {
        // Nothing listens on the discard port 9: the connection is refused at once, no name is looked up.
        Run list = run(Map.of("ATLAS_PRIVATE_KEY", PRIVATE_KEY), "jobs", "list", "--base-url", "http://127.0.0.1:9",
                "--public-key", "sim-public", "--group", SHOP, "--cluster", ORDERS);

        assertEquals(1, list.exitCode(), list::toString);
        assertTrue(list.err().contains("Connection refused: /127.0.0.1:9"), list::toString);
    }

    @Test
    void jobsFlagsGivenWithAConfigWinOverTheConfigsValues(@TempDir Path dir) throws IOException {
        String id = sim.addJob(SHOP, ORDERS, SimWorld.WAITS_QUEUED);
        Path config = Files.writeString(dir.resolve("elsewhere.yaml"), """
                atlas:
                  baseUrl: http://127.0.0.1:9
                  auth:
                    digest: {publicKey: someone-else, privateKey: wrong}
                targets:
                  - groupId: %s
                    clusters: [Reports]
                """.formatted(SimWorld.INSIGHTS));

        Run list = run(Map.of("ATLAS_PRIVATE_KEY", PRIVATE_KEY), "jobs", "list", "--config", config.toString(),
                "--base-url", sim.baseUrl(), "--public-key", "sim-public", "--group", SHOP, "--cluster", ORDERS);

        assertEquals(0, list.exitCode(), list::toString);
        assertTrue(list.out().lines().anyMatch(line -> line.startsWith(id)), list::toString);
    }

    @Test
    void watchOfAShardedJobShowsItMoveAndEndsWithAllShardsDone() {
        // Runs 6 s of real time, polled every second: two InProgress polls with the bar moved, however late some come.
        String id = sim.addJob(SHOP, SimWorld.LEDGER, JobPlan.succeeding(Duration.ZERO, Duration.ofSeconds(6), 8));

        List<String> args = new ArrayList<>(List.of("jobs", "watch", "--id", id, "--every", "1", "--base-url", sim.baseUrl(),
                "--public-key", "sim-public", "--group", SHOP, "--cluster", SimWorld.LEDGER));
        Run watch = run(Map.of("ATLAS_PRIVATE_KEY", PRIVATE_KEY), args.toArray(String[]::new));

        assertEquals(0, watch.exitCode(), watch::toString);
        List<String> running = watch.out().lines().filter(line -> line.contains("InProgress")).toList();
        assertTrue(running.size() >= 2, watch::toString);
        assertTrue(running.stream().allMatch(line -> line.matches("\\[\\.*#{6}\\.*] 2 shards +InProgress  " + id + "  \\d+s elapsed")),
                watch::toString);
        assertNotEquals(running.get(0).substring(0, ProgressBar.WIDTH + 2), running.get(running.size() - 1).substring(0, ProgressBar.WIDTH + 2),
                () -> "the bar moves\n" + watch);
        List<String> lines = watch.out().lines().filter(line -> line.startsWith("[")).toList();
        assertEquals(FULL_BAR + " 2/2 shards Successful  " + id, lines.get(lines.size() - 1), watch::toString);
    }

    @Test
    void anAddressInUseIsReportedWithTheFlagOrConfigKeyThatSetIt(@TempDir Path dir) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();

            Run simulate = run(Map.of(), "simulate", "--listen", address);
            assertEquals(1, simulate.exitCode(), simulate::toString);
            assertTrue(simulate.err().contains("Error: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + " (set by --listen): address in use"), simulate::toString);

            Path config = Files.writeString(dir.resolve("monitor.yaml"), """
                    atlas:
                      baseUrl: %s
                      auth:
                        digest: {publicKey: sim-public, privateKey: sim-private}
                    targets:
                      - groupId: %s
                        clusters: [%s]
                    server:
                      listen: "%s"
                    state:
                      path: %s
                    """.formatted(sim.baseUrl(), SHOP, ORDERS, address, dir.resolve("state.json")));
            Run monitor = run(Map.of(), "run", "--config", config.toString());
            assertEquals(1, monitor.exitCode(), monitor::toString);
            assertTrue(monitor.err().contains("(set by server.listen in " + config + "): address in use"), monitor::toString);
        }
    }

    @Test
    void connectionTroubleDuringAWatchLeavesStdoutToTheProgressLinesAndStderrToFormattedLines() throws Exception {
        String id = sim.addJob(SHOP, ORDERS, JobPlan.succeeding(Duration.ZERO, Duration.ofMillis(2500), 8));
        LoggingOptions logging = new LoggingOptions();
        logging.level = LoggingOptions.Level.DEBUG;
        logging.format = LoggingOptions.Format.LOGFMT;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        Run watch;
        try {
            System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
            logging.apply();
            sim.setFaults(List.of(Fault.reset().forCluster(SHOP, ORDERS).times(2)));
            watch = jobs("watch", "--id", id, "--every", "1");
        } finally {
            sim.clearFaults();
            System.setErr(originalErr);
            LoggingUnitTests.restoreTestLogging();
        }

        assertEquals(0, watch.exitCode(), watch::toString);
        assertTrue(watch.out().lines().allMatch(line -> line.isEmpty() || line.startsWith("[")), watch::toString);
        assertTrue(watch.out().contains(FULL_BAR + " 8/8 (100%) Successful  " + id), watch::toString);
        assertTrue(watch.err().lines().allMatch(line -> line.isEmpty() || line.startsWith("(transient error, still watching: ")),
                watch::toString);
        List<String> logLines = logs.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(logLines.stream().anyMatch(line -> line.contains("level=warn logger=reactor.netty.")), () -> String.join("\n", logLines));
        assertTrue(logLines.stream().allMatch(line -> line.matches("ts=\\S+ level=\\w+ logger=\\S+ msg=\".*\"( err=\".*\")?")),
                () -> String.join("\n", logLines));
        assertTrue(logLines.stream().noneMatch(line -> line.contains("logger=reactor.netty") && line.contains("level=debug")
                        || line.contains("level=info") && line.contains("logger=reactor.netty")),
                () -> String.join("\n", logLines));
    }
}
