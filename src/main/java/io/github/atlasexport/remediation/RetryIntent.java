package io.github.atlasexport.remediation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.atlasexport.monitor.ClusterKey;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * A retry the monitor committed to, as kept in the state store (document kind {@link #KIND}) before the
 * POST is sent. Only the latest attempt per original job is kept: earlier retries are in Atlas's list,
 * marked.
 *
 * @param attempt    1 for the first retry of the original
 * @param at         when the intent was committed
 * @param status     {@link Status#PENDING} until the POST's answer (or a later list) tells
 * @param retryJobId the job the POST created, once known
 */
public record RetryIntent(String groupId, String clusterName, String originalJobId, int attempt, Instant at,
                          Status status, String retryJobId) {
    public static final String KIND = "remediation";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public enum Status {
        /** Committed; the POST went out, or was about to: whether a job exists only the cluster's list can say. */
        PENDING,
        /** The POST created {@code retryJobId}. */
        CREATED,
        /** Atlas refused the POST (a 4xx answer): nothing was created, and the original is not retried again. */
        REFUSED
    }

    public RetryIntent {
        requireNonNull(groupId, "groupId must not be null");
        requireNonNull(clusterName, "clusterName must not be null");
        requireNonNull(originalJobId, "originalJobId must not be null");
        requireNonNull(at, "at must not be null");
        requireNonNull(status, "status must not be null");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
        }
    }

    static RetryIntent pending(ClusterKey cluster, String originalJobId, int attempt, Instant at) {
        return new RetryIntent(cluster.groupId(), cluster.clusterName(), originalJobId, attempt, at, Status.PENDING, null);
    }

    RetryIntent created(String jobId) {
        return new RetryIntent(groupId, clusterName, originalJobId, attempt, at, Status.CREATED, jobId);
    }

    RetryIntent refused() {
        return new RetryIntent(groupId, clusterName, originalJobId, attempt, at, Status.REFUSED, null);
    }

    public ClusterKey cluster() {
        return new ClusterKey(groupId, clusterName);
    }

    /** The document key: one intent per original job. */
    public String key() {
        return key(cluster(), originalJobId);
    }

    static String key(ClusterKey cluster, String originalJobId) {
        return cluster + "/" + originalJobId;
    }

    /** A stored document back as an intent. */
    public static RetryIntent read(JsonNode document) {
        try {
            return JSON.treeToValue(document, RetryIntent.class);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a remediation intent: " + e.getMessage(), e);
        }
    }
}
