package io.github.atlasexport.monitor;

import io.github.atlasexport.atlas.ExportJob;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * What the monitor knows about one job: its latest body from Atlas plus what only the monitor can
 * know. This is also what the durable state keeps per job.
 *
 * @param firstSeen       when the monitor first saw the job at all
 * @param stateSince      when the monitor first saw the job's current state
 * @param stuckClockStart where the stuck timer starts: {@code stateSince} when the monitor saw the
 *                        transition, else, for a job first seen not yet ended, its {@code createdAt} (the
 *                        state may be that old). The one "in state since" clock: the state-since metric,
 *                        {@code /api/v1/jobs}, the status page and the stuck alert all read it
 * @param stuck           the job is over its stuck threshold in its current state
 */
public record TrackedJob(ExportJob job, Instant firstSeen, Instant stateSince, Instant stuckClockStart, boolean stuck) {
    public TrackedJob {
        requireNonNull(job, "job must not be null");
        requireNonNull(firstSeen, "firstSeen must not be null");
        requireNonNull(stateSince, "stateSince must not be null");
        requireNonNull(stuckClockStart, "stuckClockStart must not be null");
    }

    public String id() {
        return job.id();
    }

    public String state() {
        return job.state();
    }
}
