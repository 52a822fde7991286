package io.github.atlasexport.simulator;

import io.github.atlasexport.atlas.ApiVersion;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiRouteUnitTests {

    @Test
    void matchesTheExportRoutesOfBothVersions() {
        ApiRoute one = ApiRoute.match("/api/atlas/v1.0/groups/g1/clusters/C-1/backup/exports/j9");
        assertEquals(new ApiRoute(ApiRoute.Endpoint.EXPORT, ApiVersion.V1_0, "g1", "C-1", "j9"), one);
        assertEquals("/api/atlas/v1.0/groups/{groupId}/clusters/{clusterName}/backup/exports/{exportId}", one.template());
        ApiRoute list = ApiRoute.match("/api/atlas/v2/groups/g1/clusters/C/backup/exports");
        assertEquals(ApiRoute.Endpoint.EXPORTS, list.endpoint());
        assertTrue(list.endpoint().allows("POST") && !list.endpoint().allows("DELETE"));
        assertEquals(ApiRoute.Endpoint.SNAPSHOTS, ApiRoute.match("/api/atlas/v2/groups/g/clusters/C/backup/snapshots").endpoint());
        assertEquals(ApiRoute.Endpoint.EXPORT_BUCKETS, ApiRoute.match("/api/atlas/v2/groups/g/backup/exportBuckets").endpoint());
        assertEquals(ApiRoute.Endpoint.CLUSTERS, ApiRoute.match("/api/atlas/v2/groups/g/clusters").endpoint());
        assertEquals(ApiRoute.Endpoint.GROUPS, ApiRoute.match("/api/atlas/v2/groups").endpoint());
        assertEquals("/api/oauth/token", ApiRoute.match("/api/oauth/token").template());
    }

    @Test
    void otherPathsAreNotRoutes() {
        assertNull(ApiRoute.match("/api/atlas/v3/groups"));
        assertNull(ApiRoute.match("/api/atlas/v2/orgs"));
        assertNull(ApiRoute.match("/api/atlas/v2/groups/g/clusters/C/backup/restores"));
        assertNull(ApiRoute.match("/metrics"));
    }

    @Test
    void v2AcceptsAVersionFromTheOnlyOneOnAndRefusesOthers() {
        assertTrue(MediaTypes.acceptsV2("application/vnd.atlas.2023-01-01+json"));
        assertTrue(MediaTypes.acceptsV2("application/json, application/vnd.atlas.2024-05-30+json;charset=utf-8"));
        assertFalse(MediaTypes.acceptsV2("application/vnd.atlas.2022-12-31+json"));
        assertFalse(MediaTypes.acceptsV2("application/vnd.atlas.2023-13-01+json"));
        assertFalse(MediaTypes.acceptsV2("application/json"));
        assertFalse(MediaTypes.acceptsV2("*/*"));
        assertFalse(MediaTypes.acceptsV2(null));
        assertTrue(MediaTypes.isV2Body("application/vnd.atlas.2023-01-01+json; charset=UTF-8"));
        assertFalse(MediaTypes.isV2Body("application/json"));
    }
}
