package io.github.atlasexport.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Loads the monitor's YAML config (SPEC section 3): parse, expand {@code ${VAR}} / {@code ${VAR:-default}}
 * in string values, map onto {@link MonitorConfig} with defaults, validate. All problems are reported
 * together in one {@link ConfigException}.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** Loads a file, expanding variables from the process environment. */
    public static MonitorConfig load(Path file) {
        return load(file, System::getenv);
    }

    public static MonitorConfig load(Path file, Function<String, String> env) {
        requireNonNull(file, "file must not be null");
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of(file + ": cannot read: " + reason(e)));
        }
        return load(yaml, file.toString(), env);
    }

    /**
     * @param sourceName names the config in messages (the file name)
     * @param env        variable lookup, {@code null} for an unset variable
     */
    public static MonitorConfig load(String yaml, String sourceName, Function<String, String> env) {
        requireNonNull(yaml, "yaml must not be null");
        requireNonNull(sourceName, "sourceName must not be null");
        requireNonNull(env, "env must not be null");
        Problems problems = new Problems(sourceName);
        Optional<JsonNode> root = YamlTree.parse(yaml, new EnvExpander(env), problems);
        problems.throwIfAny(); // a half-read document would only add confusing follow-up problems
        MonitorConfig config = ConfigMapper.map(Section.root(root.orElseThrow(), problems));
        problems.throwIfAny();
        return config;
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
