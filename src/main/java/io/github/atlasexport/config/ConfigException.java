package io.github.atlasexport.config;

import java.util.List;

/**
 * A configuration that cannot be used. Every problem found is listed, one per line, each naming the
 * file, the key path ({@code targets[1].groupId}) and what is wrong; never a secret value.
 */
public final class ConfigException extends RuntimeException {

    private final String source;
    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super(String.join("\n", problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The file (or test source name) the configuration came from. */
    public String source() {
        return source;
    }

    /** One line per problem: {@code file[:line]: key.path: problem}. */
    public List<String> problems() {
        return problems;
    }
}
