package io.github.atlasexport.bench;

import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.metrics.ExportMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.lang.ref.Reference;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Issue target 4, heap per tracked job <= 1 KiB: the heap a running monitor keeps per job it tracks,
 * from the used heap after full collections, with N jobs tracked against none (the baseline, measured
 * in the same JVM just before). What is kept is what the monitor keeps: each poll loop's latest
 * {@code ClusterSnapshot} (its {@code TrackedJob}s and their {@code ExportJob} bodies as the client
 * parsed them), {@code LiveTargets}, and the {@code ExportMetrics} views and per-cluster series,
 * after two polls of every cluster ({@link TrackedFleet}).
 *
 * <p>{@code bench/run.sh heap [jobs [jobsPerCluster]]}; defaults 100,000 jobs, 500 a cluster.
 */
public final class HeapPerJobHarness {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapPerJobHarness() {
    }

    public static void main(String[] args) throws InterruptedException {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int perCluster = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int clusters = Math.max(1, jobs / perCluster);

        // Once for the classes, caches and JIT: the baseline then holds everything but the jobs.
        track(4, perCluster);
        ExportMetrics metrics = metrics();
        TrackedFleet fleet = new TrackedFleet(metrics);
        long before = settledUsedHeap();
        fleet.poll(clusters, perCluster);
        long after = settledUsedHeap();
        int tracked = fleet.jobs();
        Reference.reachabilityFence(fleet);
        Reference.reachabilityFence(metrics);

        double perJob = (double) (after - before) / tracked;
        System.out.printf("tracked jobs      %,d (%,d clusters x %,d)%n", tracked, clusters, perCluster);
        System.out.printf("used heap, empty  %,d bytes%n", before);
        System.out.printf("used heap, full   %,d bytes%n", after);
        System.out.printf("heap per job      %,.0f bytes (budget 1,024: ratio %.2f)%n", perJob, perJob / 1024);
    }

    private static void track(int clusters, int perCluster) {
        try (ExportMetrics metrics = metrics()) {
            new TrackedFleet(metrics).poll(clusters, perCluster);
            metrics.scrape(null);
        }
    }

    private static ExportMetrics metrics() {
        return new ExportMetrics("bench", ApiVersion.V2, TrackedFleet.HISTORY_WINDOW,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Used heap once full collections stop freeing anything. */
    private static long settledUsedHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(100);
            long now = MEMORY.getHeapMemoryUsage().getUsed();
            if (i >= 3 && Math.abs(used - now) < 64 * 1024) {
                return now;
            }
            used = now;
        }
        return used;
    }
}
