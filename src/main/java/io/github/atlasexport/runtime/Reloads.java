package io.github.atlasexport.runtime;

import java.time.Instant;
import java.util.List;

/** How the config is reloaded, and how the last reload went: {@code atlas_export_config_last_reload_*}. */
public interface Reloads {

    /** A monitor that is not reloaded: its one load, at start, succeeded. */
    Reloads NONE = new Reloads() {
        private final Instant started = Instant.now();

        @Override
        public boolean lastSuccessful() {
            return true;
        }

        @Override
        public Instant lastSuccess() {
            return started;
        }

        @Override
        public Outcome reload() {
            return new Outcome(false, List.of("this monitor is not run from a config file: nothing to reload"));
        }
    };

    boolean lastSuccessful();

    Instant lastSuccess();

    /** Reads the config again and, if it is valid, runs the monitor on it; else the old one goes on. */
    Outcome reload();

    /** @param problems what was wrong with the new config (or why it could not start); empty when applied */
    record Outcome(boolean applied, List<String> problems) {
        public Outcome {
            problems = List.copyOf(problems);
        }
    }
}
