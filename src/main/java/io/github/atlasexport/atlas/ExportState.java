package io.github.atlasexport.atlas;

import java.time.Instant;
import java.util.List;

/** The export-job states Atlas documents. Others may appear; they are plain strings everywhere. */
public final class ExportState {
    public static final String QUEUED = "Queued";
    public static final String IN_PROGRESS = "InProgress";
    public static final String SUCCESSFUL = "Successful";
    public static final String FAILED = "Failed";
    public static final String CANCELLED = "Cancelled";

    /** Documented states, in lifecycle order; metrics pre-create a series for each. */
    public static final List<String> DOCUMENTED = List.of(QUEUED, IN_PROGRESS, SUCCESSFUL, FAILED, CANCELLED);

    private ExportState() {
    }

    /** A job in this state will not change again. Unknown states are treated as not terminal. */
    public static boolean isTerminal(String state) {
        return SUCCESSFUL.equals(state) || FAILED.equals(state) || CANCELLED.equals(state);
    }

    /** A job in this state is being worked on, so its cluster is polled at the active interval. */
    public static boolean isActive(String state) {
        return QUEUED.equals(state) || IN_PROGRESS.equals(state);
    }

    public static boolean isDocumented(String state) {
        return state != null && DOCUMENTED.contains(state);
    }

    /**
     * Ended: a documented end state, or a state Atlas added later that came with {@code finishedAt}.
     * An unknown state without it is taken as still being worked on, so it is watched, not forgotten.
     */
    public static boolean isTerminal(String state, Instant finishedAt) {
        return isTerminal(state) || (!isDocumented(state) && finishedAt != null);
    }
}
