package io.github.atlasexport.http;

import io.github.atlasexport.alert.DeadLetter;

import java.util.List;

/** The dead letters as the HTTP API and the status page see them: listed, and re-sent on request. */
public interface DeadLetterDesk {

    /** Oldest first. */
    List<DeadLetter> list();

    /**
     * Queues dead letters again: the notice with {@code id} (on every sink where it is dead), or all of
     * them when {@code id} is null.
     *
     * @return how many were queued again; 0 if none matched
     */
    int resend(String id);

    DeadLetterDesk NONE = new DeadLetterDesk() {
        @Override
        public List<DeadLetter> list() {
            return List.of();
        }

        @Override
        public int resend(String id) {
            return 0;
        }
    };
}
