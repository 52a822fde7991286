package io.github.atlasexport.atlas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** An Atlas project (group), as returned by {@code GET /groups}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Project(String id, String name) {
}
