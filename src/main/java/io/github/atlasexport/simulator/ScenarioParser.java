package io.github.atlasexport.simulator;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.stream.Collectors;

/** YAML to {@link Scenario}, turning Jackson's errors into "file: field.path: problem". */
final class ScenarioParser {
    private ScenarioParser() {
    }

    static Scenario load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ScenarioException(file.toString(), "(file)", "cannot read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    static Scenario parse(String yaml, String source) {
        Scenario scenario;
        try {
            scenario = SimJson.YAML.readValue(yaml, Scenario.class);
        } catch (JsonProcessingException e) {
            StreamReadException syntax = syntaxError(e);
            if (syntax != null) {
                JsonLocation at = syntax.getLocation();
                String where = at == null ? "(syntax)" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
                // SnakeYAML's message repeats the source with carets on indented lines; keep the sentences.
                String why = syntax.getOriginalMessage().lines()
                        .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                        .collect(Collectors.joining("; "));
                throw new ScenarioException(source, where, "not valid YAML: " + why);
            }
            JsonMappingException mapping = (JsonMappingException) e;
            throw new ScenarioException(source, path(mapping), problem(mapping));
        }
        if (scenario == null) {
            throw new ScenarioException(source, "(root)", "the scenario is empty");
        }
        return scenario;
    }

    /** A YAML syntax error, possibly wrapped by the data binding that was reading when it struck. */
    private static StreamReadException syntaxError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamReadException syntax) {
                return syntax;
            }
        }
        return null;
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "(root)" : path.toString();
    }

    private static String problem(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return "unknown field '" + unknown.getPropertyName() + "'" + (known.isEmpty() ? "" : " (known: " + known + ")");
        }
        // Our own validation (record constructors, enum parsers) speaks clearest; find it under Jackson's wrapping.
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        if (e instanceof MismatchedInputException mismatch && !(e instanceof InvalidFormatException)
                && mismatch.getTargetType() != null) {
            return "wrong kind of value, expected " + describe(mismatch.getTargetType());
        }
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String describe(Class<?> type) {
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == String.class) {
            return "text";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        return "a mapping (" + type.getSimpleName() + ")";
    }
}
