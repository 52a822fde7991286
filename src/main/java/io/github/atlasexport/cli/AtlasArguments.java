package io.github.atlasexport.cli;

import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.AtlasNames;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/** Converters that check the {@code jobs} flags while parsing, so a bad value is a usage error (exit 2). */
final class AtlasArguments {
    private AtlasArguments() {
    }

    static final class GroupId implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return matching(AtlasNames.GROUP_ID, value, "must be a project id of 24 lower-case hex digits");
        }
    }

    static final class ClusterName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return matching(AtlasNames.CLUSTER_NAME, value,
                    "must be a cluster name (letters, digits and '-', not starting with '-')");
        }
    }

    static final class Version implements ITypeConverter<ApiVersion> {
        @Override
        public ApiVersion convert(String value) {
            try {
                return ApiVersion.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("must be v2 or v1.0, got '" + value + "'");
            }
        }
    }

    static final class BaseUrl implements ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            try {
                URI uri = new URI(value);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            throw new TypeConversionException("must be an absolute http(s) URL such as https://cloud.mongodb.com, got '"
                    + value + "'");
        }
    }

    static final class PositiveSeconds implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                long seconds = Long.parseLong(value);
                if (seconds >= 1) {
                    return seconds;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("must be a whole number of seconds, 1 or more, got '" + value + "'");
        }
    }

    private static String matching(Pattern pattern, String value, String problem) {
        if (!pattern.matcher(value).matches()) {
            throw new TypeConversionException(problem + " (" + pattern.pattern() + "), got '" + value + "'");
        }
        return value;
    }
}
