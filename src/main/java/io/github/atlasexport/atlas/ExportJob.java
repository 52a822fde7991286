package io.github.atlasexport.atlas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * One Cloud Backup snapshot export job as Atlas returns it (v2 or v1.0). {@code state} is an open
 * string: a state Atlas adds later is carried through untouched. Unknown fields are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExportJob(
        String id,
        String snapshotId,
        String exportBucketId,
        Instant createdAt,
        Instant finishedAt,
        String prefix,
        String state,
        StateReason stateReason,
        String errMsg,
        ExportStatus exportStatus,
        List<Component> components,
        List<CustomData> customData) {

    public ExportJob {
        components = components == null ? List.of() : List.copyOf(components);
        customData = customData == null ? List.of() : List.copyOf(customData);
    }

    /** Sharded clusters report one component per shard; replica sets report {@code exportStatus}. */
    public boolean sharded() {
        return !components.isEmpty();
    }

    /** Will not change again; see {@link ExportState#isTerminal(String, Instant)} for states Atlas adds later. */
    public boolean terminal() {
        return ExportState.isTerminal(state, finishedAt);
    }

    /** The Atlas error text of a failed job, whichever API version supplied it. */
    public String errorMessage() {
        if (stateReason != null && stateReason.message() != null) {
            return stateReason.message();
        }
        return errMsg;
    }

    public ExportJob withState(String newState) {
        return new ExportJob(id, snapshotId, exportBucketId, createdAt, finishedAt, prefix, newState,
                stateReason, errMsg, exportStatus, components, customData);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StateReason(String errorCode, String message) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ExportStatus(int exportedCollections, int totalCollections) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Component(String exportId, String replicaSetName) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CustomData(String key, String value) {
    }
}
