package io.github.atlasexport.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts exchanges by route template (bounded: templates, not URLs) for tests and benchmarks. */
final class RequestLog {
    static final String UNMATCHED = "(unmatched)";

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder challenges = new LongAdder();

    void record(String method, String route, int status, boolean digestChallenge) {
        counts.computeIfAbsent(new Key(method, route, status), k -> new LongAdder()).increment();
        if (digestChallenge) {
            challenges.increment();
        }
    }

    RequestCounts snapshot() {
        List<RequestCounts.Entry> entries = new ArrayList<>();
        counts.forEach((k, v) -> entries.add(new RequestCounts.Entry(k.method(), k.route(), k.status(), v.sum())));
        entries.sort(Comparator.comparing(RequestCounts.Entry::route)
                .thenComparing(RequestCounts.Entry::method)
                .thenComparingInt(RequestCounts.Entry::status));
        return new RequestCounts(entries, challenges.sum());
    }

    void reset() {
        counts.clear();
        challenges.reset();
    }

    private record Key(String method, String route, int status) {
    }
}
