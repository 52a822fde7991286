package io.github.atlasexport.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.util.Locale;

/** {@code --log.level} and {@code --log.format} of the long-running commands; they re-read logback.xml with those values. */
final class LoggingOptions {
    enum Level { DEBUG, INFO, WARN, ERROR }

    enum Format { LOGFMT, JSON }

    @Option(names = "--log.level", defaultValue = "${env:LOG_LEVEL:-info}",
            description = "debug, info, warn or error (default: $$LOG_LEVEL, else info)")
    Level level;

    @Option(names = "--log.format", defaultValue = "${env:LOG_FORMAT:-logfmt}",
            description = "logfmt, or json: one JSON object a line (default: $$LOG_FORMAT, else logfmt)")
    Format format;

    /** Replaces the logging set up at start-up; call before anything worth logging happens. */
    void apply() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.putProperty("LOG_LEVEL", level.name());
        context.putProperty("LOG_FORMAT", format.name().toLowerCase(Locale.ROOT));
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(LoggingOptions.class.getResource("/logback.xml"));
        } catch (JoranException e) {
            throw new IllegalStateException("logback.xml is broken: " + e.getMessage(), e);
        }
    }
}
