package io.github.atlasexport.monitor;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * A job the monitor tracked that is missing from the cluster's latest list. It is remembered, not
 * forgotten: one list can miss a job (a page shifted while it was read, a hiccup at Atlas), and a
 * job that comes back must not look new, or its old failure would alert as news.
 *
 * @param job    the job as last listed
 * @param leftAt the poll whose list first lacked it
 */
public record DepartedJob(TrackedJob job, Instant leftAt) {
    public DepartedJob {
        requireNonNull(job, "job must not be null");
        requireNonNull(leftAt, "leftAt must not be null");
    }
}
