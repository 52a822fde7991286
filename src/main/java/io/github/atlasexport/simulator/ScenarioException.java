package io.github.atlasexport.simulator;

/** A scenario file that cannot be used; the message names the file, the field and the problem. */
public final class ScenarioException extends IllegalArgumentException {
    private final String source;
    private final String field;
    private final String problem;

    public ScenarioException(String source, String field, String problem) {
        super(source + ": " + field + ": " + problem);
        this.source = source;
        this.field = field;
        this.problem = problem;
    }

    public String source() {
        return source;
    }

    /** Path of the bad field, such as {@code projects[0].clusters[1].type}. */
    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
