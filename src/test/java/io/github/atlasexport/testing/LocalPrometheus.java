package io.github.atlasexport.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Prometheus server ({@code /usr/bin/prometheus}, Debian package {@code prometheus}) on a loopback
 * port of its choosing: scrapes its targets and evaluates rule files every second, in a throw-away data
 * directory, and answers queries through its HTTP API. A missing binary fails the test.
 */
public final class LocalPrometheus implements AutoCloseable {

    public static final Path EXECUTABLE = Path.of("/usr/bin/prometheus");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTED_WITHIN = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalPrometheus(Process process, Path log, URI url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    /**
     * One scrape job.
     *
     * @param name        the {@code job} label of every series it scrapes
     * @param metricsPath the path Prometheus GETs, e.g. {@code /metrics}
     * @param target      {@code host:port} serving that path
     */
    public record ScrapeJob(String name, String metricsPath, String target, String settings) {
        public ScrapeJob(String name, String metricsPath, String target) {
            this(name, metricsPath, target, "");
        }

        /** With more scrape settings as YAML flow-map entries, e.g. {@code scheme: https, basic_auth: {...}}. */
        public ScrapeJob with(String moreSettings) {
            return new ScrapeJob(name, metricsPath, target, moreSettings);
        }
    }

    /** Scrapes {@code target}'s {@code /metrics} as job {@code jobName} and evaluates {@code ruleFile}. */
    public static LocalPrometheus start(Path dir, String jobName, String target, Path ruleFile) throws IOException {
        return start(dir, List.of(ruleFile), List.of(new ScrapeJob(jobName, "/metrics", target)));
    }

    /**
     * @param dir       holds the generated config, the TSDB and the server's log
     * @param ruleFiles loaded with {@code rule_files}, by absolute path
     * @param jobs      scraped every second
     */
    public static LocalPrometheus start(Path dir, List<Path> ruleFiles, List<ScrapeJob> jobs) throws IOException {
        if (!Files.isExecutable(EXECUTABLE)) {
            fail(EXECUTABLE + " not found: install the Debian package 'prometheus' (apt-get install prometheus)");
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
                rule_files: [%s]
                scrape_configs:
                %s
                """.formatted(
                ruleFiles.stream().map(file -> "'" + file.toAbsolutePath() + "'").collect(Collectors.joining(", ")),
                jobs.stream().map(job -> "  - {job_name: '%s', metrics_path: '%s', static_configs: [{targets: ['%s']}]%s}"
                        .formatted(job.name(), job.metricsPath(), job.target(),
                                job.settings().isEmpty() ? "" : ", " + job.settings())).collect(Collectors.joining("\n"))));
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(EXECUTABLE.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                // Port 0, the port read from the log: one found free beforehand might be taken before it binds.
                "--web.listen-address=127.0.0.1:0")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            int port = Ports.announced(process, log, STARTED_WITHIN);
            return new LocalPrometheus(process, log, URI.create("http://127.0.0.1:" + port));
        } catch (RuntimeException | Error e) {
            Processes.stop(process);
            throw e;
        }
    }

    /** The {@code data} of a GET on the API, e.g. {@code /api/v1/rules}; null while Prometheus is not answering yet. */
    public JsonNode get(String path) throws InterruptedException {
        return data(HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build());
    }

    /**
     * The {@code data.result} of an instant query at the current time (sent as a form, so long dashboard
     * queries need no URL-length care); null while Prometheus is not answering yet.
     */
    public JsonNode query(String promql) throws InterruptedException {
        String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        JsonNode data = data(HttpRequest.newBuilder(url.resolve("/api/v1/query"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
        return data == null ? null : data.path("result");
    }

    private JsonNode data(HttpRequest request) throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException notListeningYet) {
            return null;
        }
        if (response.statusCode() == 503) {
            return null; // still starting up
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
                return fail(request.uri() + " answered " + response.statusCode() + ": " + response.body());
            }
            return body.path("data");
        } catch (IOException e) {
            return fail(request.uri() + " answered unreadable JSON: " + response.body());
        }
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
