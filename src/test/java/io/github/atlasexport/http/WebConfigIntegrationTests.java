package io.github.atlasexport.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.config.WebConfigLoader;
import io.github.atlasexport.monitor.LiveTargets;
import io.github.atlasexport.testing.Await;
import io.github.atlasexport.testing.Commands;
import io.github.atlasexport.testing.LocalPrometheus;
import io.github.atlasexport.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web config (exporter-toolkit format) on a real server, with real peers: curl over TLS with and
 * without client certificates, certificates made by openssl, hashes made by htpasswd, and a real
 * Prometheus scraping over https with basic auth.
 */
class WebConfigIntegrationTests {
    private static final String EXPOSITION = "# TYPE atlas_export_web_test gauge\natlas_export_web_test 1\n";

    @TempDir
    Path dir;
    private MonitorHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void requireAndVerifyClientCertLetsInOnlyClientsTheCaSigned() throws IOException {
        TestPki pki = TestPki.create(dir, "ca");
        pki.server("server");
        Path client = pki.client("client");
        Path stranger = TestPki.create(dir, "other-ca").client("stranger");
        start("""
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                  client_ca_file: ca.crt
                  client_auth_type: RequireAndVerifyClientCert
                """);

        assertEquals("200", curl("--cacert", pki.caCert().toString(), "--cert", client.toString(),
                "--key", TestPki.keyOf(client).toString(), url("/-/ready")).output());
        Commands.Result noCertificate = curl("--cacert", pki.caCert().toString(), url("/-/healthy"));
        assertNotEquals(0, noCertificate.exitCode(), noCertificate.output());
        Commands.Result wrongCa = curl("--cacert", pki.caCert().toString(), "--cert", stranger.toString(),
                "--key", TestPki.keyOf(stranger).toString(), url("/-/healthy"));
        assertNotEquals(0, wrongCa.exitCode(), wrongCa.output());
        Commands.Result plainHttp = Commands.run(dir, List.of("curl", "-sS", "--max-time", "10",
                "http://127.0.0.1:" + server.port() + "/-/healthy"));
        assertTrue(plainHttp.exitCode() != 0 || !plainHttp.output().contains("Healthy"), plainHttp.output());
    }

    @Test
    void tlsWithoutClientCertificatesServesAnyClientThatTrustsTheServer() throws IOException {
        TestPki pki = TestPki.create(dir, "ca");
        pki.server("server");
        start("""
                tls_server_config: {cert_file: server.crt, key_file: server.key, min_version: TLS13}
                """);

        assertEquals("200", curl("--cacert", pki.caCert().toString(), url("/metrics")).output());
        Commands.Result tls12 = curl("--cacert", pki.caCert().toString(), "--tls-max", "1.2", url("/metrics"));
        assertNotEquals(0, tls12.exitCode(), "min_version TLS13 refuses TLS 1.2: " + tls12.output());
        Commands.Result untrusted = curl(url("/metrics"));
        assertNotEquals(0, untrusted.exitCode(), untrusted.output());
    }

    @Test
    void basicAuthRefusesWrongAndUnknownUsersButNotTheLivenessProbe() throws IOException {
        String hash = Commands.htpasswd(dir, "prometheus", "s3cret pass");
        start("""
                basic_auth_users:
                  prometheus: '%s'
                http_server_config:
                  headers:
                    X-Frame-Options: deny
                """.formatted(hash));
        String base = "http://127.0.0.1:" + server.port();

        assertEquals("200", curl("-u", "prometheus:s3cret pass", base + "/metrics").output());
        assertEquals("200", curl("-u", "prometheus:s3cret pass", base + "/metrics").output(), "from the cache");
        assertEquals("401", curl(base + "/metrics").output());
        assertEquals(0, server.authFailures(), "a request without credentials is not a failed attempt");
        assertEquals("401", curl("-u", "prometheus:wrong", base + "/metrics").output());
        assertEquals("401", curl("-u", "nobody:s3cret pass", base + "/api/v1/jobs").output());
        assertEquals("200", curl(base + "/-/healthy").output());
        assertEquals(2, server.authFailures());

        String headers = Commands.ok(dir, "curl", "-sS", "--max-time", "10", "-D", "-", "-o", "/dev/null",
                "-u", "prometheus:wrong", base + "/");
        assertTrue(headers.startsWith("HTTP/1.1 401"), headers);
        assertTrue(headers.toLowerCase().contains("www-authenticate: basic"), headers);
        assertTrue(headers.contains("X-Frame-Options: deny") || headers.contains("x-frame-options: deny"), headers);
    }

    @Test
    void aRotatedCertificateIsServedToNewConnectionsWithoutARestart() throws IOException {
        TestPki first = TestPki.create(dir, "first-ca");
        Path firstCert = first.server("server");
        start("""
                tls_server_config: {cert_file: server.crt, key_file: server.key}
                """);
        assertEquals("200", curl("--cacert", first.caCert().toString(), url("/-/healthy")).output());

        TestPki second = TestPki.create(dir, "second-ca");
        Path secondCert = second.server("rotated");
        // As cert-manager does: the new files replace the old ones in place.
        Files.move(TestPki.keyOf(secondCert), TestPki.keyOf(firstCert), StandardCopyOption.REPLACE_EXISTING);
        Files.move(secondCert, firstCert, StandardCopyOption.REPLACE_EXISTING);

        Await.until(Duration.ofSeconds(30), () -> "the server to present the certificate the second CA signed",
                () -> curl("--cacert", second.caCert().toString(), url("/-/healthy")).output().equals("200"));
        assertNotEquals(0, curl("--cacert", first.caCert().toString(), url("/-/healthy")).exitCode());
    }

    @Test
    void prometheusScrapesOverHttpsWithAClientCertificateAndBasicAuth() throws Exception {
        TestPki pki = TestPki.create(dir, "ca");
        pki.server("server");
        Path client = pki.client("prometheus-client");
        String hash = Commands.htpasswd(dir, "prometheus", "scrape-pass");
        start("""
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                  client_ca_file: ca.crt
                  client_auth_type: RequireAndVerifyClientCert
                basic_auth_users:
                  prometheus: '%s'
                """.formatted(hash));
        Path promDir = Files.createDirectories(dir.resolve("prometheus"));
        LocalPrometheus.ScrapeJob job = new LocalPrometheus.ScrapeJob("monitor", "/metrics", "127.0.0.1:" + server.port())
                .with("scheme: https, tls_config: {ca_file: '%s', cert_file: '%s', key_file: '%s'}, basic_auth: {username: prometheus, password: scrape-pass}"
                        .formatted(pki.caCert(), client, TestPki.keyOf(client)));
        try (LocalPrometheus prometheus = LocalPrometheus.start(promDir, List.of(), List.of(job))) {
            Await.until(Duration.ofSeconds(60), () -> "Prometheus to scrape the monitor over https; its log:\n" + prometheus.log(),
                    () -> value(prometheus, "up{job=\"monitor\"}") == 1 && value(prometheus, "atlas_export_web_test") == 1);
        }
        assertEquals(0, server.authFailures());
    }

    private static double value(LocalPrometheus prometheus, String query) {
        try {
            JsonNode result = prometheus.query(query);
            return result == null || result.isEmpty() ? -1 : result.get(0).path("value").get(1).asDouble();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void start(String webConfig) throws IOException {
        Path file = dir.resolve("web.yml");
        Files.writeString(file, webConfig);
        server = new MonitorHttpServer(new ObjectMapper(), new LiveTargets(),
                accept -> new MetricsScraper.Scrape("text/plain; version=0.0.4", EXPOSITION.getBytes(StandardCharsets.UTF_8)),
                List::of, () -> true, () -> true, DeadLetterDesk.NONE)
                .start("127.0.0.1", 0, ServerLimits.defaults(), WebConfigLoader.load(file));
    }

    private String url(String path) {
        return "https://127.0.0.1:" + server.port() + path;
    }

    /** The status code as output, or curl's error with a non-zero exit code. */
    private Commands.Result curl(String... args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "-o", "/dev/null",
                "-w", "%{http_code}"));
        command.addAll(List.of(args));
        return Commands.run(dir, command);
    }
}
