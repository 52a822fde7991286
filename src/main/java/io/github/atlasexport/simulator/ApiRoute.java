package io.github.atlasexport.simulator;

import io.github.atlasexport.atlas.ApiVersion;

import java.util.Set;

/**
 * A request path resolved to an endpoint of the simulated API, with its path variables
 * ({@code exportId} holds the last one: the snapshot id of {@link Endpoint#SNAPSHOT}).
 * {@link #template()} names the route in request counts without the variable parts.
 */
record ApiRoute(Endpoint endpoint, ApiVersion version, String groupId, String clusterName, String exportId) {
    private static final String ATLAS = "/api/atlas/";

    enum Endpoint {
        GROUPS("/groups", "GET"),
        GROUP("/groups/{groupId}", "GET"),
        CLUSTERS("/groups/{groupId}/clusters", "GET"),
        EXPORT_BUCKETS("/groups/{groupId}/backup/exportBuckets", "GET"),
        SNAPSHOTS("/groups/{groupId}/clusters/{clusterName}/backup/snapshots", "GET"),
        SHARDED_SNAPSHOTS("/groups/{groupId}/clusters/{clusterName}/backup/snapshots/shardedClusters", "GET"),
        SCHEDULE("/groups/{groupId}/clusters/{clusterName}/backup/schedule", "GET"),
        SNAPSHOT("/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}", "GET"),
        EXPORTS("/groups/{groupId}/clusters/{clusterName}/backup/exports", "GET", "POST"),
        EXPORT("/groups/{groupId}/clusters/{clusterName}/backup/exports/{exportId}", "GET"),
        OAUTH_TOKEN("/api/oauth/token", "POST"),
        OAUTH_REVOKE("/api/oauth/revoke", "POST");

        private final String path;
        private final Set<String> methods;

        Endpoint(String path, String... methods) {
            this.path = path;
            this.methods = Set.of(methods);
        }

        boolean allows(String method) {
            return methods.contains(method);
        }
    }

    String template() {
        return version == null ? endpoint.path : ATLAS + version.pathSegment() + endpoint.path;
    }

    /** The route of a path (trailing slash already removed), or null when it is not part of the API. */
    static ApiRoute match(String path) {
        if (path.equals(Endpoint.OAUTH_TOKEN.path)) {
            return new ApiRoute(Endpoint.OAUTH_TOKEN, null, null, null, null);
        }
        if (path.equals(Endpoint.OAUTH_REVOKE.path)) {
            return new ApiRoute(Endpoint.OAUTH_REVOKE, null, null, null, null);
        }
        if (!path.startsWith(ATLAS)) {
            return null;
        }
        String[] s = path.substring(ATLAS.length()).split("/", -1);
        ApiVersion version = version(s[0]);
        if (version == null || s.length < 2 || !s[1].equals("groups")) {
            return null;
        }
        return switch (s.length) {
            case 2 -> new ApiRoute(Endpoint.GROUPS, version, null, null, null);
            case 3 -> new ApiRoute(Endpoint.GROUP, version, s[2], null, null);
            case 4 -> s[3].equals("clusters") ? new ApiRoute(Endpoint.CLUSTERS, version, s[2], null, null) : null;
            case 5 -> s[3].equals("backup") && s[4].equals("exportBuckets")
                    ? new ApiRoute(Endpoint.EXPORT_BUCKETS, version, s[2], null, null) : null;
            case 7 -> clusterBackup(s) && s[6].equals("snapshots")
                    ? new ApiRoute(Endpoint.SNAPSHOTS, version, s[2], s[4], null)
                    : clusterBackup(s) && s[6].equals("schedule")
                    ? new ApiRoute(Endpoint.SCHEDULE, version, s[2], s[4], null)
                    : clusterBackup(s) && s[6].equals("exports")
                    ? new ApiRoute(Endpoint.EXPORTS, version, s[2], s[4], null) : null;
            case 8 -> clusterBackup(s) && s[6].equals("exports")
                    ? new ApiRoute(Endpoint.EXPORT, version, s[2], s[4], s[7])
                    : clusterBackup(s) && s[6].equals("snapshots") && s[7].equals("shardedClusters")
                    ? new ApiRoute(Endpoint.SHARDED_SNAPSHOTS, version, s[2], s[4], null)
                    : clusterBackup(s) && s[6].equals("snapshots")
                    ? new ApiRoute(Endpoint.SNAPSHOT, version, s[2], s[4], s[7]) : null;
            default -> null;
        };
    }

    private static boolean clusterBackup(String[] s) {
        return s[3].equals("clusters") && s[5].equals("backup");
    }

    private static ApiVersion version(String segment) {
        for (ApiVersion v : ApiVersion.values()) {
            if (v.pathSegment().equals(segment)) {
                return v;
            }
        }
        return null;
    }
}
