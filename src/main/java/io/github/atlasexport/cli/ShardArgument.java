package io.github.atlasexport.cli;

import io.github.atlasexport.config.MonitorConfig;
import picocli.CommandLine;

/** Parses {@code --shard i/N} with the bounds of the config's {@code sharding}: N 1..1024, i 0..N-1. */
final class ShardArgument implements CommandLine.ITypeConverter<MonitorConfig.Sharding> {
    @Override
    public MonitorConfig.Sharding convert(String value) {
        try {
            return MonitorConfig.Sharding.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
