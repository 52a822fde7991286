package io.github.atlasexport.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time of this JVM's threads, by pool ({@code reactor-http-epoll-3} counts as {@code reactor-http-epoll-N}),
 * to tell where a cycle's CPU went: event loops (HTTP, parsing, diff, rules), state writer, timers.
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> startNanos = new HashMap<>();
    private long gcMillis;
    private long jitMillis;

    private ThreadCpu() {
    }

    static ThreadCpu start() {
        ThreadCpu cpu = new ThreadCpu();
        for (long id : THREADS.getAllThreadIds()) {
            cpu.startNanos.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
        }
        cpu.gcMillis = gcMillis();
        cpu.jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        return cpu;
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
    }

    /**
     * Seconds per pool since {@link #start()}, largest first, e.g. {@code state-writer-N 1.20}, then
     * GC and JIT time (their threads are not Java threads). Threads that ended are not counted.
     */
    String byPool() {
        Map<String, Long> pools = new HashMap<>();
        for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long now = THREADS.getThreadCpuTime(info.getThreadId());
            long used = now - startNanos.getOrDefault(info.getThreadId(), 0L);
            if (now > 0 && used > 0) {
                pools.merge(info.getThreadName().replaceAll("\\d+", "N"), used, Long::sum);
            }
        }
        return pools.entrySet().stream()
                .filter(e -> e.getValue() >= 10_000_000)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 1e9))
                .collect(Collectors.joining(", "))
                + String.format(Locale.ROOT, "; GC pauses %.2f s wall, JIT %.2f s",
                (gcMillis() - gcMillis) / 1e3,
                (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitMillis) / 1e3);
    }
}
