package io.github.atlasexport.atlas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A project's export bucket ({@code GET /groups/{groupId}/backup/exportBuckets}); Atlas names its id {@code _id}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExportBucket(@JsonProperty("_id") String id, String bucketName, String cloudProvider) {
}
