package io.github.atlasexport.simulator;

import java.util.List;

/**
 * How many API exchanges the simulator answered since start or the last reset, by method, route
 * template and status (0 for a reset connection), and how many of them were digest challenges.
 * Control API calls ({@code /__sim/}) are not counted.
 */
public record RequestCounts(List<Entry> entries, long challenges) {

    public RequestCounts {
        entries = List.copyOf(entries);
    }

    /**
     * @param route a template such as {@code /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports},
     *              {@code /api/oauth/token}, or {@code (unmatched)}
     */
    public record Entry(String method, String route, int status, long count) {
    }

    public long total() {
        return entries.stream().mapToLong(Entry::count).sum();
    }

    /** Exchanges on a route template, any method and status. */
    public long count(String route) {
        return entries.stream().filter(e -> e.route().equals(route)).mapToLong(Entry::count).sum();
    }

    public long count(String method, String route, int status) {
        return entries.stream()
                .filter(e -> e.method().equals(method) && e.route().equals(route) && e.status() == status)
                .mapToLong(Entry::count)
                .sum();
    }

    /** Exchanges answered with this status on any route. */
    public long countStatus(int status) {
        return entries.stream().filter(e -> e.status() == status).mapToLong(Entry::count).sum();
    }
}
