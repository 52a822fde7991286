package io.github.atlasexport.simulator;

import java.util.Arrays;
import java.util.List;

/**
 * The Atlas project roles the simulator checks, named as the v2 spec's {@code x-rolesRequirements}
 * name them. Project Owner may do everything, every project role may read, and a Backup Manager may
 * also export.
 */
enum ProjectRole {
    OWNER("Project Owner"),
    READ_ONLY("Project Read Only"),
    BACKUP_MANAGER("Project Backup Manager"),
    BACKUP_EXPORT_OPERATOR("Project Backup Export Operator");

    private final String title;

    ProjectRole(String title) {
        this.title = title;
    }

    String title() {
        return title;
    }

    /** The role called {@code title}; an error listing the known ones otherwise. */
    static ProjectRole named(String title) {
        return Arrays.stream(values()).filter(r -> r.title.equals(title)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown role '" + title + "'; known: "
                        + Arrays.stream(values()).map(ProjectRole::title).toList()));
    }

    /** Whether a credential holding this role may do what needs {@code needed}. */
    boolean grants(ProjectRole needed) {
        return this == OWNER || this == needed || needed == READ_ONLY
                || (this == BACKUP_MANAGER && needed == BACKUP_EXPORT_OPERATOR);
    }

    static boolean anyGrants(List<ProjectRole> held, ProjectRole needed) {
        return held.stream().anyMatch(r -> r.grants(needed));
    }

    /** The role a call needs, as the spec states it for each simulated operation; null when it needs none. */
    static ProjectRole neededFor(ApiRoute.Endpoint endpoint, String method) {
        return switch (endpoint) {
            case GROUPS, OAUTH_TOKEN, OAUTH_REVOKE -> null;
            case EXPORTS -> method.equals("POST") ? BACKUP_EXPORT_OPERATOR : BACKUP_MANAGER;
            case EXPORT -> BACKUP_MANAGER;
            case GROUP, CLUSTERS, EXPORT_BUCKETS, SNAPSHOTS, SHARDED_SNAPSHOTS, SNAPSHOT, SCHEDULE -> READ_ONLY;
        };
    }
}
