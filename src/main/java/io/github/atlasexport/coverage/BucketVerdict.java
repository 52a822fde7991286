package io.github.atlasexport.coverage;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * The latest export jobs of a project to one bucket, across its clusters.
 *
 * @param failing        the newest {@code after} finished jobs to the bucket all Failed
 * @param failedInARow   finished jobs Failed since the newest one that did not fail
 * @param since          when the run of failures reached {@code after} (the finish of that job): null unless failing
 * @param lastError      Atlas's error text of the newest failure, or null
 */
public record BucketVerdict(String groupId, String exportBucketId, boolean failing, int failedInARow, Instant since,
                            String lastError) {
    public BucketVerdict {
        requireNonNull(groupId, "groupId must not be null");
        requireNonNull(exportBucketId, "exportBucketId must not be null");
    }
}
