package io.github.atlasexport.bench;

import io.github.atlasexport.runtime.MonitorRuntime;
import io.github.atlasexport.config.Durations;
import io.github.atlasexport.config.MonitorConfig;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Issue target 1: one full poll cycle of 10,000 clusters x 50 jobs against the simulator with 50 ms
 * of injected latency, {@code maxConcurrency} 64, digest auth and a request budget that never binds.
 * The bound is {@code clusters x latency / maxConcurrency} (7.8125 s): the time the Atlas latency
 * alone takes with every request slot busy. Target: the median of {@code --measured} cycles &lt;= 1.10 x bound.
 *
 * <p>The simulator runs in a JVM of its own ({@link SimulatorProcess}); the monitor runs in this one,
 * as the product ({@code run}'s {@code MonitorRuntime}) with a generated config naming every cluster.
 *
 * <p><b>One full poll cycle</b> is measured as a restart: when the monitor starts, every cluster's
 * first poll is due at once. The monitor is started from the state file of an earlier run on the
 * same world, so the cycle diffs 500,000 known jobs (steady state, not a first look), and {@code
 * --warmups} such runs come first so that the JIT is warm. The cycle runs from the moment
 * {@code start} returns (the state file is loaded by then; the poll loops have just been subscribed)
 * until {@code /-/ready} answers 200, which the monitor does once every cluster was polled (checked
 * every 20 ms). Both intervals are 1 h, so no cluster is polled twice within the cycle: the
 * simulator's counters (reset before the start) hold exactly that cycle's exchanges.
 *
 * <p>Also reported: exchanges per list call (digest challenges included), the CPU time of this JVM
 * over the cycle ({@code OperatingSystemMXBean.getProcessCpuTime}), the largest heap use sampled
 * every 20 ms over the cycle, and the heap still live after it (after a full GC).
 *
 * <pre>
 * bench/run.sh scale [--clusters 10000] [--jobs 50] [--latency 50ms] [--concurrency 64] [--warmups 5] [--measured 3]
 *                    [--dir target/scale] [--simulator-jvm "-XX:StartFlightRecording=filename=sim.jfr"]
 * </pre>
 */
public final class ScaleHarness {
    private static final double TARGET_RATIO = 1.10;
    private static final Duration NEVER_AGAIN = Duration.ofHours(1);
    private static final Duration READY_EVERY = Duration.ofMillis(20);
    private static final Duration CYCLE_TIMEOUT = Duration.ofMinutes(10);

    private ScaleHarness() {
    }

    public static void main(String[] args) throws Exception {
        HarnessArgs a = HarnessArgs.parse(args);
        int clusters = a.integer("clusters", 10_000);
        int jobs = a.integer("jobs", 50);
        Duration latency = a.duration("latency", Duration.ofMillis(50));
        int concurrency = a.integer("concurrency", 64);
        int warmups = a.integer("warmups", 5);
        int measuredCycles = a.integer("measured", 3);
        Path dir = a.path("dir", Path.of("target", "scale"));
        String simulatorJvm = a.text("simulator-jvm", "");
        a.finish();

        Path state = dir.resolve("state.db");
        Files.deleteIfExists(state);
        try (BenchWorld world = BenchWorld.start(clusters, jobs, latency, dir, simulatorJvm)) {
            MonitorConfig config = world.monitorConfig(concurrency, NEVER_AGAIN, NEVER_AGAIN, state, "");
            Duration bound = latency.multipliedBy(world.clusterCount()).dividedBy(concurrency);
            System.out.printf(Locale.ROOT, "scale: %d clusters x %d jobs, latency %s, maxConcurrency %d, digest auth;"
                    + " bound %.3f s%n", world.clusterCount(), jobs, Durations.format(latency), concurrency, seconds(bound));
            for (int i = 1; i <= warmups; i++) {
                Cycle warm = cycle(world, config);
                System.out.printf(Locale.ROOT, "warm-up %d%s: %s%n", i, i == 1 ? " (first look, no state)" : "",
                        warm.describe(bound));
            }
            List<Cycle> measured = new ArrayList<>();
            for (int i = 1; i <= measuredCycles; i++) {
                Cycle cycle = cycle(world, config);
                measured.add(cycle);
                System.out.printf(Locale.ROOT, "measured %d: %s%n", i, cycle.describe(bound));
            }
            measured.sort(Comparator.comparing(Cycle::time));
            Cycle median = measured.get(measured.size() / 2);
            long polledJobs = (long) world.clusterCount() * jobs;
            System.out.printf(Locale.ROOT, "RESULT cycle=%.3fs (median of %d) bound=%.3fs ratio=%.3f (target <= %.2f)"
                            + " requests=%d list_calls=%d challenges=%d exchanges_per_call=%.4f cpu=%.2fs"
                            + " cpu_per_polled_job=%.2fus peak_heap=%dMiB live_heap=%dMiB%n",
                    seconds(median.time()), measured.size(), seconds(bound), median.ratio(bound), TARGET_RATIO,
                    median.exchanges().total(), median.exchanges().listCalls(), median.exchanges().challenges(),
                    median.exchanges().perCall(), median.cpuSeconds(), median.cpuSeconds() * 1e6 / polledJobs,
                    mib(median.peakHeap()), mib(median.liveHeap()));
        }
    }

    /** Starts the monitor on the state file, waits for every cluster's first poll, stops it (which saves the state). */
    private static Cycle cycle(BenchWorld world, MonitorConfig config) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        HttpClient http = HttpClient.newHttpClient();
        world.sim().resetCounters();
        System.gc();
        long peak = 0;
        Duration time;
        long cpu;
        BenchWorld.Exchanges exchanges;
        long live;
        String threads;
        Duration simulatorCpu;
        try (MonitorRuntime monitor = MonitorRuntime.start(config)) {
            long started = System.nanoTime();
            long cpuStarted = os.getProcessCpuTime();
            Duration simulatorStarted = world.sim().cpuTime();
            ThreadCpu threadCpu = ThreadCpu.start();
            HttpRequest ready = HttpRequest.newBuilder(URI.create(monitor.url() + "-/ready")).build();
            while (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                if (System.nanoTime() - started > CYCLE_TIMEOUT.toNanos()) {
                    throw new IllegalStateException("not every cluster was polled within " + CYCLE_TIMEOUT);
                }
                Thread.sleep(READY_EVERY.toMillis());
            }
            time = Duration.ofNanos(System.nanoTime() - started);
            cpu = os.getProcessCpuTime() - cpuStarted;
            simulatorCpu = world.sim().cpuTime().minus(simulatorStarted);
            threads = threadCpu.byPool();
            peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
            exchanges = world.exchanges();
            System.gc();
            live = memory.getHeapMemoryUsage().getUsed();
        }
        return new Cycle(time, exchanges, cpu / 1e9, peak, live, seconds(simulatorCpu), threads);
    }

    /**
     * @param cpuSeconds          this JVM (the monitor) over the cycle
     * @param simulatorCpuSeconds the simulator's JVM over the cycle: not the monitor's, but it shares the cores
     * @param threads             this JVM's CPU by thread pool
     */
    private record Cycle(Duration time, BenchWorld.Exchanges exchanges, double cpuSeconds, long peakHeap, long liveHeap,
                         double simulatorCpuSeconds, String threads) {
        double ratio(Duration bound) {
            return seconds(time) / seconds(bound);
        }

        String describe(Duration bound) {
            return String.format(Locale.ROOT, "cycle %.3f s (%.3f x bound), %d exchanges for %d list calls (%.4f per call,"
                            + " %d challenges), CPU %.2f s (%s; simulator JVM %.2f s), peak heap %d MiB,"
                            + " live heap after %d MiB",
                    seconds(time), ratio(bound), exchanges.total(), exchanges.listCalls(), exchanges.perCall(),
                    exchanges.challenges(), cpuSeconds, threads, simulatorCpuSeconds, mib(peakHeap), mib(liveHeap));
        }
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }
}
