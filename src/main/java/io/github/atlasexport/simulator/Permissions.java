package io.github.atlasexport.simulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The project roles each digest key and service account holds (the scenario's {@code roles}; omitted:
 * Project Owner), and the 403 Atlas answers a call its caller lacks the role for.
 */
final class Permissions {
    private static final List<ProjectRole> EVERY_ROLE = List.of(ProjectRole.OWNER);

    private final Map<String, List<ProjectRole>> byDigestKey = new HashMap<>();
    private final Map<String, List<ProjectRole>> byServiceAccount = new HashMap<>();

    Permissions(Scenario.Credentials credentials) {
        credentials.digestKeys().forEach(k -> byDigestKey.put(k.publicKey(), held(k.roles())));
        credentials.serviceAccounts().forEach(a -> byServiceAccount.put(a.clientId(), held(a.roles())));
    }

    List<ProjectRole> ofDigestKey(String publicKey) {
        return byDigestKey.getOrDefault(publicKey, List.of());
    }

    List<ProjectRole> ofServiceAccount(String clientId) {
        return byServiceAccount.getOrDefault(clientId, List.of());
    }

    /** Throws Atlas's 403 when none of {@code held} grants what the call needs. */
    static void require(List<ProjectRole> held, ApiRoute route, String method) {
        ProjectRole needed = ProjectRole.neededFor(route.endpoint(), method);
        if (needed != null && !ProjectRole.anyGrants(held, needed)) {
            // The needed role as the one parameter: what an operator would grant.
            throw ApiError.of(403, "ACCESS_FORBIDDEN", "Access to this resource is forbidden for current user.",
                    needed.title());
        }
    }

    private static List<ProjectRole> held(List<String> titles) {
        return titles == null ? EVERY_ROLE : titles.stream().map(ProjectRole::named).toList();
    }
}
