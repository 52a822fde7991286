package io.github.atlasexport.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a secret written in the config ({@code privateKey}) or in a file its twin names
 * ({@code privateKeyFile}): how Kubernetes and Docker mount secrets. Exactly one of the pair; a file's
 * contents count without their trailing line breaks. Remembers which secrets came from which file, so
 * {@code check-config} shows the file, never the contents; messages never quote either.
 */
final class SecretReader {
    static final String FILE_SUFFIX = "File";

    private final Map<String, Path> files = new LinkedHashMap<>();

    /** The secret under {@code key} or from the file under {@code key + "File"}; empty (reported if required) when neither. */
    Optional<String> read(Section s, String key, boolean required) {
        String fileKey = key + FILE_SUFFIX;
        boolean inline = s.has(key);
        boolean fromFile = s.has(fileKey);
        if (inline && fromFile) {
            s.problem(key, "set exactly one of '" + key + "' or '" + fileKey + "', not both");
            return Optional.empty();
        }
        if (!fromFile) {
            if (required && !inline) {
                s.problem(key, "is required (or '" + fileKey + "': a file holding it)");
                return Optional.empty();
            }
            return required ? s.required(key) : s.text(key).filter(text -> !text.isEmpty());
        }
        return s.required(fileKey).flatMap(name -> contents(s, key, fileKey, name.strip()));
    }

    MonitorConfig.SecretFiles files() {
        return new MonitorConfig.SecretFiles(files);
    }

    private Optional<String> contents(Section s, String key, String fileKey, String name) {
        Path file;
        String text;
        try {
            file = Path.of(name);
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (InvalidPathException e) {
            s.problem(fileKey, "not a valid file path: " + e.getReason());
            return Optional.empty();
        } catch (IOException e) {
            s.problem(fileKey, "cannot read " + name + " (" + e.getClass().getSimpleName() + ")");
            return Optional.empty();
        }
        String secret = text.replaceAll("[\r\n]+$", "");
        if (secret.isBlank()) {
            s.problem(fileKey, name + " is empty");
            return Optional.empty();
        }
        files.put(s.path(key), file);
        return Optional.of(secret);
    }
}
