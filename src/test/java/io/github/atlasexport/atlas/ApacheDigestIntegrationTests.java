package io.github.atlasexport.atlas;

import io.github.atlasexport.testing.Await;
import io.github.atlasexport.testing.Ports;
import io.github.atlasexport.testing.Processes;
import io.github.atlasexport.testing.TempDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Our digest client against a real peer: Apache httpd with mod_auth_digest, serving an export-job
 * list as a static file. Under {@code /strict} the server also enforces nonce counts
 * ({@code AuthDigestNcCheck On}, which needs the shared-memory client table), so passing there
 * shows the nonce really is reused with an increasing {@code nc}, not re-challenged per call, and
 * that concurrent calls keep each nonce's counts in order.
 */
class ApacheDigestIntegrationTests {
    private static final Path APACHE = Path.of("/usr/sbin/apache2");
    private static final Path MODULES = Path.of("/usr/lib/apache2/modules");
    private static final String GROUP = "5f0a1b2c3d4e5f60718293a4";
    private static final String CLUSTER = "Cluster0";
    private static final Credentials.Digest API_KEY = new Credentials.Digest("atlas-public-key", "atlas-private-key");
    private static final List<String> MODULES_WANTED = List.of("mpm_event", "authn_core", "authn_file", "authz_core",
            "authz_user", "auth_digest", "mime", "dir", "log_config");

    private static Path root;
    private static Process apache;
    private static URI baseUrl;

    @BeforeAll
    static void startApache() throws Exception {
        assertTrue(Files.isExecutable(APACHE), "Apache httpd is needed at " + APACHE
                + " for this test: install the Debian package apache2 (apt-get install apache2)");
        root = Files.createTempDirectory("apache-digest");
        List<String> states = List.of("Successful", "InProgress", "Failed");
        String jobs = IntStream.range(0, states.size())
                .mapToObj(i -> ScriptedAtlasServer.jobJson(String.format("%024x", i + 1), states.get(i)))
                .collect(Collectors.joining(",", "{\"results\":[", "],\"totalCount\":3}"));
        for (String prefix : List.of("", "strict/")) {
            Path list = root.resolve("htdocs/" + prefix + "api/atlas/v2/groups/" + GROUP + "/clusters/" + CLUSTER + "/backup/exports");
            Files.createDirectories(list.getParent());
            Files.writeString(list, jobs);
        }
        String realm = ScriptedAtlasServer.REALM;
        Files.writeString(root.resolve("htdigest"), API_KEY.publicKey() + ":" + realm + ":"
                + DigestVerifier.md5(API_KEY.publicKey() + ":" + realm + ":" + API_KEY.privateKey()) + "\n");
        // httpd is told its port: one found free may be taken by another process before httpd binds it.
        int port = Ports.retryingTaken(ApacheDigestIntegrationTests::startApacheOn);
        baseUrl = URI.create("http://127.0.0.1:" + port);
    }

    private static int startApacheOn(int port) throws IOException {
        Path conf = root.resolve("httpd.conf");
        Files.writeString(conf, config(port));
        Files.deleteIfExists(root.resolve("error.log"));
        Files.deleteIfExists(root.resolve("httpd.pid"));
        openToApacheWorkers(root);
        apache = new ProcessBuilder(APACHE.toString(), "-f", conf.toString(), "-DFOREGROUND")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("console.log").toFile())
                .start();
        try {
            awaitListening(port);
            return port;
        } catch (RuntimeException | Error e) {
            stopApache();
            throw e;
        }
    }

    @AfterAll
    static void stopApacheAndDelete() {
        stopApache();
        TempDirs.delete(root);
    }

    private static void stopApache() {
        if (apache != null) {
            List<ProcessHandle> workers = apache.descendants().toList();
            Processes.stop(apache); // SIGTERM: httpd stops its workers and exits
            workers.forEach(ProcessHandle::destroyForcibly);
            apache = null;
        }
    }

    private final List<ExchangeListener.Exchange> seen = new CopyOnWriteArrayList<>();

    private AtlasClient client(URI base, Credentials credentials) {
        return AtlasClients.create(AtlasClientOptions.create(base, credentials)
                .withRequestTimeout(Duration.ofSeconds(5))
                .withRequestsPerMinute(10_000)
                .withRetryPolicy(RetryPolicy.none())
                .withListener(seen::add));
    }

    @Test
    void sequentialCallsReuseOneNonceUnderStrictNonceCounting() {
        int calls = 25;
        try (AtlasClient client = client(URI.create(baseUrl + "/strict"), API_KEY)) {
            Flux.range(0, calls).concatMap(i -> client.listExportJobs(GROUP, CLUSTER).collectList())
                    .as(StepVerifier::create)
                    .thenConsumeWhile(jobs -> jobs.size() == 3 && jobs.get(2).state().equals("Failed"))
                    .verifyComplete();
        }
        System.out.printf("apache mod_auth_digest (AuthDigestNcCheck On): %d exchanges for %d sequential calls = %.2f/call%n",
                seen.size(), calls, seen.size() / (double) calls);
        assertEquals(calls + 1, seen.size(), "only the first call is challenged: " + statuses());
        assertEquals(401, seen.get(0).status());
        assertTrue(seen.stream().skip(1).allMatch(exchange -> exchange.status() == 200), statuses().toString());
        assertEquals("/groups/{groupId}/clusters/{clusterName}/backup/exports", seen.get(1).endpoint());
    }

    @Test
    void concurrentCallsKeepEachNoncesCountsInOrderUnderStrictNonceCounting() {
        int calls = 80;
        int concurrency = 8;
        try (AtlasClient client = client(URI.create(baseUrl + "/strict"), API_KEY)) {
            Flux.range(0, calls).flatMap(i -> client.listExportJobs(GROUP, CLUSTER).count(), concurrency)
                    .as(StepVerifier::create)
                    .thenConsumeWhile(count -> count == 3)
                    .verifyComplete();
        }
        System.out.printf("apache mod_auth_digest (AuthDigestNcCheck On), %d concurrent: %d exchanges for %d calls = %.2f/call%n",
                concurrency, seen.size(), calls, seen.size() / (double) calls);
        // httpd wants exactly the next count of each nonce: shared by concurrent calls, counts would overtake each other.
        assertTrue(seen.size() <= calls + concurrency, statuses().toString());
        assertEquals(calls, seen.stream().filter(exchange -> exchange.status() == 200).count());
    }

    @Test
    void concurrentCallsAllSucceedWithoutNonceCounting() {
        int calls = 40;
        int concurrency = 8;
        try (AtlasClient client = client(baseUrl, API_KEY)) {
            Flux.range(0, calls).flatMap(i -> client.listExportJobs(GROUP, CLUSTER).count(), concurrency)
                    .as(StepVerifier::create)
                    .thenConsumeWhile(count -> count == 3)
                    .verifyComplete();
        }
        System.out.printf("apache mod_auth_digest (no nc check), %d concurrent: %d exchanges for %d calls = %.2f/call%n",
                concurrency, seen.size(), calls, seen.size() / (double) calls);
        // At most the first wave of callers, which all start before any nonce is known, pays a challenge.
        assertTrue(seen.size() <= calls + concurrency, statuses().toString());
        assertEquals(calls, seen.stream().filter(exchange -> exchange.status() == 200).count());
    }

    @Test
    void aWrongPrivateKeyIsRefused() {
        try (AtlasClient client = client(baseUrl, new Credentials.Digest(API_KEY.publicKey(), "not-the-key"))) {
            client.listExportJobs(GROUP, CLUSTER).as(StepVerifier::create)
                    .expectErrorSatisfies(e -> assertEquals(401, ((AtlasApiException) e).status()))
                    .verify(Duration.ofSeconds(10));
        }
        assertEquals(List.of(401, 401), statuses());
    }

    private List<Integer> statuses() {
        return seen.stream().map(ExchangeListener.Exchange::status).toList();
    }

    private static String config(int port) {
        StringBuilder conf = new StringBuilder()
                .append("ServerRoot \"").append(root).append("\"\n")
                .append("ServerName 127.0.0.1\n")
                .append("Listen 127.0.0.1:").append(port).append('\n')
                .append("DefaultRuntimeDir \"").append(root).append("\"\n")
                .append("PidFile \"").append(root.resolve("httpd.pid")).append("\"\n")
                .append("ErrorLog \"").append(root.resolve("error.log")).append("\"\n")
                .append("LogLevel warn\n");
        for (String module : MODULES_WANTED) {
            Path so = MODULES.resolve("mod_" + module + ".so");
            if (Files.exists(so)) { // some (log_config) are compiled into Debian's httpd
                conf.append("LoadModule ").append(module).append("_module ").append(so).append('\n');
            }
        }
        return conf
                .append("User www-data\nGroup www-data\n")
                .append("StartServers 1\nServerLimit 1\nThreadsPerChild 16\nMaxRequestWorkers 16\n")
                .append("TypesConfig /etc/mime.types\n")
                .append("DocumentRoot \"").append(root.resolve("htdocs")).append("\"\n")
                .append("AuthDigestShmemSize 65536\n")
                .append("<Directory \"").append(root.resolve("htdocs")).append("\">\n")
                .append("  ForceType application/json\n")
                .append("  AuthType Digest\n")
                .append("  AuthName \"").append(ScriptedAtlasServer.REALM).append("\"\n")
                .append("  AuthDigestProvider file\n")
                .append("  AuthUserFile \"").append(root.resolve("htdigest")).append("\"\n")
                .append("  Require valid-user\n")
                .append("</Directory>\n")
                .append("<Directory \"").append(root.resolve("htdocs/strict")).append("\">\n")
                .append("  AuthDigestNcCheck On\n")
                .append("</Directory>\n")
                .toString();
    }

    /** httpd's workers run as www-data and must read what the root test wrote in a 0700 temp dir. */
    private static void openToApacheWorkers(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.toList()) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    /**
     * Until httpd has written its PidFile (it does so once its listener is bound) and the port answers: the port
     * alone might be another process's. Fails with its logs (a taken port: "Address already in use") if it exits.
     */
    private static void awaitListening(int port) {
        Await.until(Duration.ofSeconds(30), () -> "apache2 to listen on port " + port + ":\n" + logs(), () -> {
            if (!apache.isAlive()) {
                fail("apache2 exited with " + apache.exitValue() + ":\n" + logs());
            }
            if (!Files.exists(root.resolve("httpd.pid"))) {
                return false;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    private static String logs() {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("console.log", "error.log")) {
            Path log = root.resolve(name);
            try {
                if (Files.exists(log)) {
                    text.append(Files.readString(log));
                }
            } catch (IOException e) {
                text.append("(cannot read ").append(log).append(": ").append(e).append(")\n");
            }
        }
        return text.toString();
    }
}
