package io.github.atlasexport.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads YAML into a Jackson tree whose scalars are all text, exactly as written: YAML 1.1 would turn
 * a groupId like {@code 5e00...01} into a float and {@code on} into a boolean, so typing is left to
 * the mapper, which knows what each key means. Along the way it records the line of every key,
 * expands {@code ${VAR}} in string scalars, resolves aliases of mappings and lists and rejects
 * duplicate keys.
 */
final class YamlTree {

    /** A config is a few KB; these bound what a hostile or broken file costs ("billion laughs", a huge file). */
    static final int MAX_ALIASES = 50;
    static final int MAX_ALIASED_VALUES = 10_000;
    static final int MAX_CODE_POINTS = 3 * 1024 * 1024;
    private static final YAMLFactory YAML = YAMLFactory.builder().loaderOptions(loaderOptions()).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final EnvExpander env;
    private final Problems problems;
    private final Map<Object, JsonNode> anchors = new HashMap<>();
    private int aliases;
    private int aliasedValues;

    private YamlTree(EnvExpander env, Problems problems) {
        this.env = env;
        this.problems = problems;
    }

    /** The document's root, {@link MissingNode} for an empty document; empty if the YAML is malformed. */
    static Optional<JsonNode> parse(String yaml, EnvExpander env, Problems problems) {
        try (YAMLParser parser = YAML.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            return Optional.of(first == null ? MissingNode.getInstance() : new YamlTree(env, problems).value(parser, ""));
        } catch (IOException e) {
            problems.add("", describe(e));
            return Optional.empty();
        }
    }

    private JsonNode value(YAMLParser p, String path) throws IOException {
        if (p.isCurrentAlias()) {
            return alias(p.getText(), path);
        }
        Object anchor = p.getObjectId(); // set on mappings and lists only: Jackson drops anchors of scalars
        JsonNode node = switch (p.currentToken()) {
            case START_OBJECT -> mapping(p, path);
            case START_ARRAY -> sequence(p, path);
            case VALUE_NULL -> NODES.nullNode();
            case VALUE_STRING -> NODES.textNode(expand(p.getText(), path));
            default -> NODES.textNode(p.getText()); // numbers and booleans, as written
        };
        if (anchor != null) {
            anchors.put(anchor, node);
        }
        return node;
    }

    private ObjectNode mapping(YAMLParser p, String path) throws IOException {
        ObjectNode node = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            String keyPath = KeyPaths.child(path, key);
            problems.line(keyPath, p.currentTokenLocation().getLineNr());
            p.nextToken();
            JsonNode value = value(p, keyPath);
            if (node.has(key)) {
                problems.add(keyPath, "duplicate key");
            } else {
                node.set(key, value);
            }
        }
        return node;
    }

    private ArrayNode sequence(YAMLParser p, String path) throws IOException {
        ArrayNode node = NODES.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String itemPath = KeyPaths.index(path, node.size());
            problems.line(itemPath, p.currentTokenLocation().getLineNr());
            node.add(value(p, itemPath));
        }
        return node;
    }

    /** Each alias is a copy: their number and the values they copy in all are bounded, or they double per level. */
    private JsonNode alias(String name, String path) {
        JsonNode target = anchors.get(name);
        if (target == null) {
            problems.add(path, "unknown alias '*" + name + "' (only mappings and lists can be anchored)");
            return NODES.nullNode();
        }
        if (aliases > MAX_ALIASES || aliasedValues > MAX_ALIASED_VALUES) {
            return NODES.nullNode(); // already reported
        }
        aliasedValues += size(target);
        if (++aliases > MAX_ALIASES || aliasedValues > MAX_ALIASED_VALUES) {
            problems.add(path, "too many aliases: more than " + MAX_ALIASES + " aliases, or more than "
                    + MAX_ALIASED_VALUES + " values copied by aliases in all (the limits)");
            return NODES.nullNode();
        }
        return target.deepCopy();
    }

    private static int size(JsonNode node) {
        int size = 1;
        for (JsonNode child : node) {
            size += size(child);
        }
        return size;
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        // Counted by SnakeYAML's composer only; Jackson reads events, so alias() counts (and sizes) them itself.
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setCodePointLimit(MAX_CODE_POINTS);
        return options;
    }

    private String expand(String text, String path) {
        if (text.replace("$${", "").contains("${")) {
            problems.fromEnvironment(path);
        }
        try {
            return env.expand(text);
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return text;
        }
    }

    /**
     * SnakeYAML's full message quotes the offending source line, which may hold a secret: keep only
     * the problem and where it is.
     */
    private static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                return "invalid YAML at line " + (marked.getProblemMark().getLine() + 1)
                        + ", column " + (marked.getProblemMark().getColumn() + 1) + ": " + marked.getProblem();
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof YAMLException && String.valueOf(t.getMessage()).contains("code points")) {
                return "larger than " + MAX_CODE_POINTS / (1024 * 1024) + " MB (the limit): not a config file";
            }
        }
        if (e instanceof JsonProcessingException json && json.getLocation() != null) {
            return "invalid YAML at line " + json.getLocation().getLineNr()
                    + ", column " + json.getLocation().getColumnNr();
        }
        return "cannot read YAML: " + e.getClass().getSimpleName();
    }
}
