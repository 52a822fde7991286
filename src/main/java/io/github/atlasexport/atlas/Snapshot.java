package io.github.atlasexport.atlas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/** A Cloud Backup snapshot of a cluster, as returned by {@code GET .../backup/snapshots/{snapshotId}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Snapshot(String id, Instant createdAt, Instant expiresAt, String status) {
}
