package io.github.atlasexport.runtime;

import io.github.atlasexport.atlas.AtlasClient;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.config.MonitorConfig;
import io.github.atlasexport.monitor.ClusterKey;
import io.github.atlasexport.monitor.RetryMarker;
import io.github.atlasexport.monitor.TrackedJob;
import io.github.atlasexport.remediation.RemediationOutcome;
import io.github.atlasexport.remediation.Remediator;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code jobs retry}: the retry policy applied once to one job, now ({@code after} and
 * {@code errorCodes} do not apply: someone asked). There is no state file: the cluster's list, where
 * every retry carries its marker, is what keeps a second run from retrying again.
 */
public final class RetryOnce {

    /**
     * @param outcome    null when the job is not one to retry ({@code reason} says why)
     * @param retryJobId the job created, for {@link RemediationOutcome#CREATED}
     */
    public record Result(RemediationOutcome outcome, String retryJobId, String reason) {
    }

    private RetryOnce() {
    }

    /** @param maxAttempts retries allowed per original job, those already in the list included */
    public static Mono<Result> retry(AtlasClient client, ClusterKey cluster, String jobId, int maxAttempts, boolean dryRun,
                                     Duration requestTimeout) {
        MonitorConfig.RetryFailed policy = new MonitorConfig.RetryFailed(true, Duration.ZERO, maxAttempts, dryRun, List.of());
        return client.listExportJobs(cluster.groupId(), cluster.clusterName()).collectList().flatMap(listed -> {
            Instant now = Instant.now();
            Map<String, TrackedJob> jobs = new LinkedHashMap<>();
            listed.forEach(job -> jobs.put(job.id(), new TrackedJob(job, now, now, now, false)));
            TrackedJob job = jobs.get(jobId);
            if (job == null) {
                return Mono.just(new Result(null, null, "no export job " + jobId + " in " + cluster));
            }
            if (!ExportState.FAILED.equals(job.state())) {
                return Mono.just(new Result(null, null, "job " + jobId + " is " + job.state() + ": only Failed jobs are retried"));
            }
            if (RetryMarker.retryOf(job.job()).isPresent()) {
                return Mono.just(new Result(null, null, "job " + jobId + " is itself a retry of "
                        + RetryMarker.retryOf(job.job()).get() + ": retry that one"));
            }
            AtomicReference<String> created = new AtomicReference<>();
            Remediator remediator = new Remediator(client, Mono::empty, new Remediator.Listener() {
                @Override
                public void outcome(ClusterKey key, RemediationOutcome outcome) {
                }

                @Override
                public void retried(ClusterKey key, ExportJob original, String retryJobId) {
                    created.set(retryJobId);
                }

                @Override
                public void intentsChanged() {
                }
            }, requestTimeout, List.of());
            return remediator.retry(cluster, job, jobs.values(), now, policy)
                    .map(outcome -> new Result(outcome, created.get(), null))
                    .defaultIfEmpty(new Result(null, null, "job " + jobId + ": nothing to do"));
        });
    }
}
