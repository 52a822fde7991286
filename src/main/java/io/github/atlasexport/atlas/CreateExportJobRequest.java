package io.github.atlasexport.atlas;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Body of {@code POST .../backup/exports}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CreateExportJobRequest(String snapshotId, String exportBucketId, List<ExportJob.CustomData> customData) {
    public CreateExportJobRequest {
        requireNonNull(snapshotId, "snapshotId must not be null");
        requireNonNull(exportBucketId, "exportBucketId must not be null");
        customData = customData == null ? List.of() : List.copyOf(customData);
    }
}
