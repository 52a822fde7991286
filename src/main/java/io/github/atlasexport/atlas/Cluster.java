package io.github.atlasexport.atlas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A cluster of a project, as returned by {@code GET /groups/{groupId}/clusters}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Cluster(String groupId, String name, String clusterType) {
}
