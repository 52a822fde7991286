package io.github.atlasexport.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The JSON shapes of the simulated resources, per API version: v2 explains a failure in
 * {@code stateReason}, v1.0 in {@code errMsg}. Builds trees; {@link #write} applies
 * {@code envelope} and {@code pretty}.
 */
final class AtlasJson {
    private static final DateTimeFormatter PREFIX_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm")
            .withZone(ZoneOffset.UTC);

    private AtlasJson() {
    }

    static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    static ObjectNode job(SimProject project, SimCluster cluster, SimJob job, JobStatus status,
                          ApiVersion version, String apiBase) {
        ObjectNode node = SimJson.JSON.createObjectNode();
        if (cluster.sharded()) {
            ArrayNode components = node.putArray("components");
            for (int shard = 0; shard < cluster.shards(); shard++) {
                components.addObject()
                        .put("exportId", SimIds.of(SimIds.COMPONENT, job.serial() * 64 + shard))
                        .put("replicaSetName", "atlas-" + cluster.name().toLowerCase(Locale.ROOT) + "-shard-" + shard);
            }
        }
        node.put("createdAt", timestamp(job.createdAt()));
        ArrayNode custom = node.putArray("customData");
        for (ExportJob.CustomData data : job.customData()) {
            custom.addObject().put("key", data.key()).put("value", data.value());
        }
        node.put("exportBucketId", job.exportBucketId());
        if (!cluster.sharded()) {
            node.putObject("exportStatus")
                    .put("exportedCollections", status.exportedCollections())
                    .put("totalCollections", status.totalCollections());
        }
        if (status.finishedAt() != null) {
            node.put("finishedAt", timestamp(status.finishedAt()));
        }
        node.put("id", job.id());
        node.set("links", links(apiBase + exportsPath(cluster) + "/" + job.id()));
        node.put("prefix", "/exported_snapshots/sim-org/" + project.name() + "/" + cluster.name() + "/"
                + PREFIX_TIME.format(job.createdAt()) + "/" + job.createdAt().getEpochSecond());
        node.put("snapshotId", job.snapshotId());
        node.put("state", status.state());
        if (ExportState.FAILED.equals(status.state()) && status.failReason() != null) {
            if (version == ApiVersion.V2) {
                node.putObject("stateReason").put("errorCode", status.errorCode()).put("message", status.failReason());
            } else {
                node.put("errMsg", status.failReason());
            }
        }
        return node;
    }

    static ObjectNode project(SimProject project, String apiBase) {
        ObjectNode node = SimJson.JSON.createObjectNode();
        node.put("clusterCount", project.clusters().size());
        node.put("created", timestamp(project.created()));
        node.put("id", project.id());
        node.set("links", links(apiBase + "/groups/" + project.id()));
        node.put("name", project.name());
        node.put("orgId", SimIds.of(SimIds.ORG, 1));
        return node;
    }

    static ObjectNode cluster(SimCluster cluster, String apiBase) {
        ObjectNode node = SimJson.JSON.createObjectNode();
        node.put("backupEnabled", false);
        node.put("clusterType", cluster.type().toString());
        node.put("groupId", cluster.groupId());
        node.put("id", cluster.id());
        node.set("links", links(apiBase + "/groups/" + cluster.groupId() + "/clusters/" + cluster.name()));
        node.put("mongoDBVersion", "7.0.14");
        node.put("name", cluster.name());
        node.put("paused", false);
        node.put("providerBackupEnabled", true);
        node.put("stateName", "IDLE");
        return node;
    }

    static ObjectNode snapshot(SimCluster cluster, SimCluster.SimSnapshot snapshot, String apiBase) {
        ObjectNode node = SimJson.JSON.createObjectNode();
        node.put("createdAt", timestamp(snapshot.createdAt()));
        node.put("expiresAt", timestamp(snapshot.createdAt().plus(7, ChronoUnit.DAYS)));
        node.put("frequencyType", "daily");
        node.put("id", snapshot.id());
        node.set("links", links(apiBase + "/groups/" + cluster.groupId() + "/clusters/" + cluster.name()
                + "/backup/snapshots/" + snapshot.id()));
        node.put("snapshotType", "scheduled");
        node.put("status", "completed");
        node.put("type", cluster.sharded() ? "shardedCluster" : "replicaSet");
        return node;
    }

    static ObjectNode bucket(SimProject project, SimProject.SimBucket bucket, String apiBase) {
        ObjectNode node = SimJson.JSON.createObjectNode();
        node.put("_id", bucket.id());
        node.put("bucketName", bucket.name());
        node.put("cloudProvider", "AWS");
        node.put("iamRoleId", SimIds.of(SimIds.BUCKET, 0xffff));
        node.set("links", links(apiBase + "/groups/" + project.id() + "/backup/exportBuckets/" + bucket.id()));
        return node;
    }

    /** A list body: {@code links} (self, and next/previous where they exist), {@code results}, {@code totalCount}. */
    static ObjectNode list(List<ObjectNode> results, int total, QueryOptions options, String listUrl) {
        ObjectNode node = SimJson.JSON.createObjectNode();
        ArrayNode links = node.putArray("links");
        if (options.pageNum() > 1) {
            links.add(link(pageUrl(listUrl, options.pageNum() - 1, options), "previous"));
        }
        links.add(link(pageUrl(listUrl, options.pageNum(), options), "self"));
        if (options.hasNext(total)) {
            links.add(link(pageUrl(listUrl, options.pageNum() + 1, options), "next"));
        }
        node.putArray("results").addAll(results);
        if (options.includeCount()) {
            node.put("totalCount", total);
        }
        return node;
    }

    /** Serializes a successful body, wrapped as Atlas does with {@code envelope=true}. */
    static String write(ObjectNode body, boolean isList, int status, QueryOptions options) {
        JsonNode out = body;
        if (options.envelope() && isList) {
            body.put("status", status);
        } else if (options.envelope()) {
            ObjectNode envelope = SimJson.JSON.createObjectNode();
            envelope.put("status", status);
            envelope.set("content", body);
            out = envelope;
        }
        try {
            return options.pretty()
                    ? SimJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out)
                    : SimJson.JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    static String exportsPath(SimCluster cluster) {
        return "/groups/" + cluster.groupId() + "/clusters/" + cluster.name() + "/backup/exports";
    }

    private static String pageUrl(String listUrl, int pageNum, QueryOptions options) {
        return listUrl + "?pageNum=" + pageNum + "&itemsPerPage=" + options.itemsPerPage();
    }

    private static ArrayNode links(String selfHref) {
        ArrayNode links = SimJson.JSON.createArrayNode();
        links.add(link(selfHref, "self"));
        return links;
    }

    private static ObjectNode link(String href, String rel) {
        return SimJson.JSON.createObjectNode().put("href", href).put("rel", rel);
    }
}
