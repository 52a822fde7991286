package io.github.atlasexport.cli;

import io.github.atlasexport.config.ConfigLoader;
import io.github.atlasexport.config.MonitorConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The container section of deploy/README.md agrees with the Dockerfile: there is no Docker engine in
 * CI, so what the image expects (config path, state volume, port, user) is checked by reading both.
 */
class DeployFilesUnitTests {

    static final Path README = Path.of("deploy", "README.md");
    static final Path DOCKERFILE = Path.of("Dockerfile");

    @Test
    void readmeContainerConfigIsValidAndFitsTheImage() throws IOException {
        String readme = Files.readString(README);
        String yaml = group(readme, "(?s)### Config for the container.*?```yaml\\n(.*?)```", "the container config block");
        MonitorConfig config = ConfigLoader.load(yaml, README + " (container config)",
                Map.of("ATLAS_PUBLIC_KEY", "public", "ATLAS_PRIVATE_KEY", "private")::get);

        String dockerfile = Files.readString(DOCKERFILE);
        int exposed = Integer.parseInt(group(dockerfile, "(?m)^EXPOSE (\\d+)$", "EXPOSE"));
        String volume = group(dockerfile, "(?m)^VOLUME \\[\"([^\"]+)\"]$", "VOLUME");
        assertEquals(new MonitorConfig.Server("0.0.0.0", exposed), config.server(), "server.listen");
        assertEquals(Path.of(volume), config.state().path().getParent(), "state.path is on the volume");
        assertTrue(dockerfile.contains("http://127.0.0.1:" + exposed + "/-/healthy"), "HEALTHCHECK probes the exposed port");
        assertEquals(volume, group(dockerfile, "(?m)^WORKDIR (\\S+)$(?![\\s\\S]*^WORKDIR)", "last WORKDIR"),
                "a relative state.path lands on the volume too");
    }

    @Test
    void readmeRunCommandMountsWhatTheImageReads() throws IOException {
        String readme = Files.readString(README);
        String dockerfile = Files.readString(DOCKERFILE);
        String configPath = group(dockerfile, "(?m)^CMD \\[\"run\", \"--config\", \"([^\"]+)\"]$", "CMD");
        String volume = group(dockerfile, "(?m)^VOLUME \\[\"([^\"]+)\"]$", "VOLUME");
        String run = group(readme, "(docker run -d --name atlas-export-monitor \\\\\\n(?:.*\\\\\\n)+.*)", "the docker run command");

        assertTrue(run.contains(":" + configPath + ":ro\""), "config mounted read-only at " + configPath + ":\n" + run);
        assertTrue(run.contains(":" + volume + " "), "state volume mounted at " + volume + ":\n" + run);
        String port = group(dockerfile, "(?m)^EXPOSE (\\d+)$", "EXPOSE");
        assertTrue(run.contains("-p " + port + ":" + port), "port " + port + " published:\n" + run);
    }

    @Test
    void imageRunsAsTheDocumentedNonRootUser() throws IOException {
        String user = group(Files.readString(DOCKERFILE), "(?m)^USER (\\d+):(\\d+)$", "a numeric USER uid:gid");
        assertNotEquals("0", user, "not root");
        assertTrue(Files.readString(README).contains("chown " + user + ":" + user), "README names uid " + user);
    }

    private static String group(String text, String regex, String what) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            fail(what + " not found (pattern " + regex + ")");
        }
        return m.group(1);
    }
}
