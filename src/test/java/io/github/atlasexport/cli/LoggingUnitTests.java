package io.github.atlasexport.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Log lines as {@code --log.level} and {@code --log.format} of run, demo and simulate set them up, read from stderr. */
class LoggingUnitTests {
    private static final String RFC_3339_UTC = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderrAndTestLogging() throws Exception {
        System.setErr(originalErr);
        restoreTestLogging();
    }

    /** Back to logback-test.xml, for the tests that run after one that set up logging from the flags. */
    static void restoreTestLogging() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "demo", "simulate"})
    void jsonFormatWritesOneParsableObjectALineWithTsLevelLoggerAndMsg(String command) throws IOException {
        configure(command, "--log.format", "json", "--log.level", "debug");
        Logger log = LoggerFactory.getLogger("io.github.atlasexport.runtime.Example");

        log.debug("job {} said \"done\"\nand more", "j1");
        log.warn("it broke", new IllegalStateException("boom"));

        List<String> lines = lines();
        assertEquals(2, lines.size(), stderr::toString);
        JsonNode debug = new ObjectMapper().readTree(lines.get(0));
        assertTrue(debug.get("ts").asText().matches(RFC_3339_UTC), lines.get(0));
        assertEquals("DEBUG", debug.get("level").asText());
        assertEquals("io.github.atlasexport.runtime.Example", debug.get("logger").asText());
        assertEquals("job j1 said \"done\"\nand more", debug.get("msg").asText());
        JsonNode warn = new ObjectMapper().readTree(lines.get(1));
        assertTrue(warn.get("err").asText().startsWith("java.lang.IllegalStateException: boom"), lines.get(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "demo", "simulate"})
    void logfmtIsTheDefaultWithTheMessageQuotedOnOneLine(String command) {
        configure(command);
        Logger log = LoggerFactory.getLogger("io.github.atlasexport.monitor.Example");

        log.debug("not at the default level, info");
        log.info("path C:\\tmp said \"hi\"\nnext\tline");
        log.error("failed", new IllegalStateException("boom"));

        List<String> lines = lines();
        assertEquals(2, lines.size(), stderr::toString);
        assertTrue(lines.get(0).matches("ts=" + RFC_3339_UTC + " level=info logger=io\\.github\\.atlasexport\\.monitor\\.Example "
                + "msg=\"path C:\\\\\\\\tmp said \\\\\"hi\\\\\"\\\\nnext\\\\tline\""), lines.get(0));
        assertTrue(lines.get(1).matches("ts=\\S+ level=error logger=\\S+ msg=\"failed\" "
                + "err=\"java\\.lang\\.IllegalStateException: boom\\\\n\\\\tat .*\""), lines.get(1));
    }

    @Test
    void theLevelFlagSetsTheMonitorsLevelAndReactorNettyStaysAtWarningsOnly() {
        configure("simulate", "--log.level", "WARN", "--log.format", "logfmt");

        LoggerFactory.getLogger("io.github.atlasexport.alert.Example").info("hidden at warn");
        LoggerFactory.getLogger("io.github.atlasexport.alert.Example").warn("shown at warn");
        LoggerFactory.getLogger("reactor.netty.http.client.HttpClientConnect").info("connection chatter");
        LoggerFactory.getLogger("reactor.netty.http.client.HttpClientConnect").warn("connection reset");

        List<String> lines = lines();
        assertEquals(2, lines.size(), stderr::toString);
        assertTrue(lines.get(0).contains("level=warn logger=io.github.atlasexport.alert.Example msg=\"shown at warn\""));
        assertTrue(lines.get(1).contains("level=warn logger=reactor.netty.http.client.HttpClientConnect msg=\"connection reset\""));
        assertFalse(stderr.toString().contains("chatter"));
    }

    @Test
    void aBadLevelOrFormatIsAUsageError() {
        CliIntegrationTests.Run level = CliIntegrationTests.run(java.util.Map.of(), "simulate", "--log.level", "loud");
        CliIntegrationTests.Run format = CliIntegrationTests.run(java.util.Map.of(), "demo", "--log.format", "xml");

        assertEquals(2, level.exitCode(), level::toString);
        assertTrue(level.err().contains("'--log.level'"), level::toString);
        assertEquals(2, format.exitCode(), format::toString);
        assertTrue(format.err().contains("'--log.format'"), format::toString);
    }

    /** Parses {@code command} with {@code flags} through the real command line and applies its logging options. */
    private static void configure(String command, String... flags) {
        CommandLine cli = Main.commandLine();
        List<String> args = new ArrayList<>(List.of(command));
        if (command.equals("run")) {
            args.addAll(List.of("--config", "monitor.yaml"));
        }
        args.addAll(List.of(flags));
        cli.parseArgs(args.toArray(String[]::new));
        ((LoggingOptions) cli.getSubcommands().get(command).getMixins().get("logging")).apply();
    }

    private List<String> lines() {
        return stderr.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
