package io.github.atlasexport.monitor;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of one cluster discovery of a {@code clusters: "*"} target: what metrics
 * ({@code atlas_export_discovery_up}), the target-down rule and the status page need to see a
 * project whose clusters cannot be listed, which has no cluster to report it through.
 *
 * @param error why the discovery failed, or null when it succeeded
 */
public record Discovery(String groupId, Instant at, Throwable error) {
    public Discovery {
        requireNonNull(groupId, "groupId must not be null");
        requireNonNull(at, "at must not be null");
    }

    public boolean succeeded() {
        return error == null;
    }
}
