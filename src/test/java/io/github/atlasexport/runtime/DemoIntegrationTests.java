package io.github.atlasexport.runtime;

import io.github.atlasexport.config.MonitorConfig;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo as {@code demo} starts it: the three parts answer, and closing it leaves no temporary folder. */
class DemoIntegrationTests {

    @Test
    void demoServesTheMonitorAndTheSimulatorAndRemovesItsStateFolderOnClose() throws Exception {
        Path stateDir;
        try (Demo demo = Demo.start(new MonitorConfig.Server("127.0.0.1", 0), new PrintWriter(new StringWriter()))) {
            stateDir = demo.stateDir();
            assertTrue(Files.isDirectory(stateDir));
            assertEquals(200, Http.get(demo.monitorUrl() + "-/healthy").status());
            assertEquals(200, Http.get(demo.simulatorUrl() + "/__sim/").status());
            assertEquals(3, demo.projects());
        }
        assertFalse(Files.exists(stateDir), "the demo's temporary state folder is removed on exit");
    }
}
