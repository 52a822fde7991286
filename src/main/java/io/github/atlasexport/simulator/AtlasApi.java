package io.github.atlasexport.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.atlas.ExportJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The resources of the simulated Atlas API, once a request is authenticated and admitted. Work per
 * request is proportional to the page served, whatever the size of the world.
 */
final class AtlasApi {
    private static final Logger log = LoggerFactory.getLogger(AtlasApi.class);

    /** The attributes of {@code DiskBackupExportJobRequest} a client may send, and the one it may not. */
    private static final Set<String> CREATE_ATTRIBUTES = Set.of("snapshotId", "exportBucketId", "customData");
    private static final Set<String> READ_ONLY_ATTRIBUTES = Set.of("links");

    private final SimWorld world;
    private final Clock clock;

    AtlasApi(SimWorld world, Clock clock) {
        this.world = world;
        this.clock = clock;
    }

    SimResponse handle(SimRequest request, ApiRoute route) {
        QueryOptions options = QueryOptions.parse(request::queryParam);
        String apiBase = request.baseUrl() + "/api/atlas/" + route.version().pathSegment();
        Instant now = clock.instant();
        return switch (route.endpoint()) {
            case GROUPS -> list(Page.of(world.projects(), options.offset(), options.itemsPerPage()),
                    AtlasJson.project(apiBase), options, route, apiBase + "/groups");
            case GROUP -> single(project(route.groupId()), AtlasJson.project(apiBase), options, route);
            case CLUSTERS -> {
                SimProject project = project(route.groupId());
                yield list(Page.of(project.clusters(), options.offset(), options.itemsPerPage()),
                        AtlasJson.cluster(apiBase), options, route, apiBase + "/groups/" + project.id() + "/clusters");
            }
            case EXPORT_BUCKETS -> {
                SimProject project = project(route.groupId());
                yield list(Page.of(project.buckets(), options.offset(), options.itemsPerPage()),
                        AtlasJson.bucket(project, apiBase), options, route,
                        apiBase + "/groups/" + project.id() + "/backup/exportBuckets");
            }
            case SNAPSHOTS -> {
                SimCluster cluster = cluster(project(route.groupId()), route.clusterName());
                yield list(Page.of(cluster.snapshots(now), options.offset(), options.itemsPerPage()),
                        AtlasJson.snapshot(cluster, apiBase), options, route,
                        apiBase + "/groups/" + cluster.groupId() + "/clusters/" + cluster.name() + "/backup/snapshots");
            }
            case SHARDED_SNAPSHOTS -> {
                // The sharded form lists a sharded cluster's snapshots only; a replica set has none here.
                SimCluster cluster = cluster(project(route.groupId()), route.clusterName());
                yield list(Page.of(cluster.sharded() ? cluster.snapshots(now) : List.of(), options.offset(),
                                options.itemsPerPage()), AtlasJson.snapshot(cluster, apiBase), options, route,
                        apiBase + "/groups/" + cluster.groupId() + "/clusters/" + cluster.name()
                                + "/backup/snapshots/shardedClusters");
            }
            case SCHEDULE -> {
                SimCluster cluster = cluster(project(route.groupId()), route.clusterName());
                yield single(cluster, AtlasJson.schedule(apiBase), options, route);
            }
            case SNAPSHOT -> {
                SimCluster cluster = cluster(project(route.groupId()), route.clusterName());
                SimCluster.SimSnapshot snapshot = cluster.snapshot(route.exportId());
                if (snapshot == null) {
                    throw ApiError.notFound("SNAPSHOT_NOT_FOUND",
                            "No snapshot with ID " + route.exportId() + " exists for cluster " + cluster.name() + ".",
                            route.exportId());
                }
                yield single(snapshot, AtlasJson.snapshot(cluster, apiBase), options, route);
            }
            case EXPORTS -> {
                SimProject project = project(route.groupId());
                SimCluster cluster = cluster(project, route.clusterName());
                AtlasJson.Item<SimJob> render = AtlasJson.job(project, cluster, now, route.version(), apiBase);
                if (request.method().equals("POST")) {
                    yield single(create(project, cluster, request.body(), now), render, options, route);
                }
                yield list(cluster.page(options.offset(), options.itemsPerPage(), now), render, options, route,
                        apiBase + AtlasJson.exportsPath(cluster));
            }
            case EXPORT -> {
                SimProject project = project(route.groupId());
                SimCluster cluster = cluster(project, route.clusterName());
                yield single(job(cluster, route.exportId(), now),
                        AtlasJson.job(project, cluster, now, route.version(), apiBase), options, route);
            }
            default -> throw new IllegalStateException("not an Atlas resource: " + route.endpoint());
        };
    }

    SimProject project(String groupId) {
        if (!Scenario.GROUP_ID.matcher(groupId).matches()) {
            throw ApiError.badRequest("INVALID_GROUP_ID", "The specified group ID " + groupId + " is invalid.", groupId);
        }
        SimProject project = world.project(groupId);
        if (project == null) {
            throw ApiError.notFound("GROUP_NOT_FOUND", "No group with ID " + groupId + " exists.", groupId);
        }
        return project;
    }

    SimCluster cluster(SimProject project, String clusterName) {
        if (!Scenario.CLUSTER_NAME.matcher(clusterName).matches()) {
            throw ApiError.badRequest("INVALID_CLUSTER_NAME",
                    "The specified cluster name " + clusterName + " is invalid.", clusterName);
        }
        SimCluster cluster = project.cluster(clusterName);
        if (cluster == null) {
            throw ApiError.notFound("CLUSTER_NOT_FOUND",
                    "No cluster named " + clusterName + " exists in group " + project.id() + ".", clusterName, project.id());
        }
        return cluster;
    }

    SimJob job(SimCluster cluster, String exportId, Instant now) {
        SimJob job = cluster.find(exportId, now);
        if (job == null) {
            throw ApiError.notFound("EXPORT_JOB_NOT_FOUND",
                    "No export job with ID " + exportId + " exists for cluster " + cluster.name() + ".", exportId);
        }
        return job;
    }

    /**
     * {@code POST .../backup/exports} checked as Atlas checks it: the body is a
     * {@code DiskBackupExportJobRequest} and nothing else (400 naming the attribute), the snapshot and
     * the bucket exist (404), and no export of that snapshot to that bucket is still running (409).
     */
    private SimJob create(SimProject project, SimCluster cluster, String body, Instant now) {
        JsonNode request;
        try {
            request = SimJson.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            request = null;
        }
        if (request == null || !request.isObject()) {
            throw ApiError.badRequest("INVALID_JSON", "Received JSON does not match expected format.");
        }
        for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (READ_ONLY_ATTRIBUTES.contains(name)) {
                throw ApiError.badRequest("ATTRIBUTE_READ_ONLY",
                        "The attribute " + name + " is read-only and cannot be changed by the user.", name);
            }
            if (!CREATE_ATTRIBUTES.contains(name)) {
                throw ApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute " + name + " specified.", name);
            }
        }
        String snapshotId = requiredId(request, "snapshotId");
        String bucketId = requiredId(request, "exportBucketId");
        List<ExportJob.CustomData> customData = customData(request.get("customData"));
        if (cluster.snapshot(snapshotId) == null) {
            throw ApiError.notFound("SNAPSHOT_NOT_FOUND",
                    "No snapshot with ID " + snapshotId + " exists for cluster " + cluster.name() + ".", snapshotId, cluster.name());
        }
        if (project.bucket(bucketId) == null) {
            throw ApiError.notFound("EXPORT_BUCKET_NOT_FOUND",
                    "No export bucket with ID " + bucketId + " exists in group " + project.id() + ".", bucketId);
        }
        SimJob job = cluster.createExport(now, snapshotId, bucketId, customData);
        log.info("export job {} created on {}/{}", job.id(), project.id(), cluster.name());
        return job;
    }

    private static String requiredId(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            throw ApiError.badRequest("MISSING_ATTRIBUTE", "The required attribute " + field + " was not specified.", field);
        }
        if (!value.isTextual()) {
            throw invalidJson(field);
        }
        if (!Scenario.GROUP_ID.matcher(value.asText()).matches()) {
            throw ApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute " + field + " specified.", field);
        }
        return value.asText();
    }

    /** {@code customData}: an array of {@code {key, value}} objects with string values, as {@code BackupLabel}. */
    private static List<ExportJob.CustomData> customData(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalidJson("customData");
        }
        List<ExportJob.CustomData> data = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode entry = node.get(i);
            String at = "customData[" + i + "]";
            if (!entry.isObject()) {
                throw invalidJson(at);
            }
            for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("key") && !name.equals("value")) {
                    throw ApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute " + at + "." + name + " specified.",
                            at + "." + name);
                }
                if (!entry.get(name).isTextual()) {
                    throw invalidJson(at + "." + name);
                }
            }
            data.add(new ExportJob.CustomData(entry.path("key").asText(), entry.path("value").asText()));
        }
        return data;
    }

    private static ApiError invalidJson(String attribute) {
        return ApiError.badRequest("INVALID_JSON_ATTRIBUTE",
                "Received JSON for the " + attribute + " attribute does not match expected format.", attribute);
    }

    private static <T> SimResponse list(Page<T> page, AtlasJson.Item<T> render, QueryOptions options,
                                        ApiRoute route, String listUrl) {
        return SimResponse.json(200, route.version().mediaType(), AtlasJson.list(page, render, 200, options, listUrl));
    }

    private static <T> SimResponse single(T resource, AtlasJson.Item<T> render, QueryOptions options, ApiRoute route) {
        return SimResponse.json(200, route.version().mediaType(), AtlasJson.single(resource, render, 200, options));
    }
}
