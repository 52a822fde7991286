package io.github.atlasexport.cli;

import io.github.atlasexport.config.MonitorConfig;
import picocli.CommandLine;

/** Parses {@code --listen HOST:PORT} the same way as the config's {@code server.listen}. */
final class ListenAddress implements CommandLine.ITypeConverter<MonitorConfig.Server> {
    @Override
    public MonitorConfig.Server convert(String value) {
        return MonitorConfig.Server.parse(value).orElseThrow(() -> new CommandLine.TypeConversionException(
                "must be HOST:PORT with a port 0..65535 (e.g. 127.0.0.1:9871), got '" + value + "'"));
    }
}
