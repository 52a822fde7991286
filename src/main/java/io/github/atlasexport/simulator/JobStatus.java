package io.github.atlasexport.simulator;

import java.time.Instant;

/**
 * What a job looks like at one instant.
 *
 * @param finishedAt set for Successful, Failed and Cancelled
 * @param errorCode  set with {@code failReason} when the state is Failed
 */
record JobStatus(String state, int exportedCollections, int totalCollections, Instant finishedAt,
                 String errorCode, String failReason) {
}
