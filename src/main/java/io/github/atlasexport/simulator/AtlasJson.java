package io.github.atlasexport.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.atlas.InstantText;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The JSON shapes of the simulated resources, per API version: v2 explains a failure in
 * {@code stateReason}, v1.0 in {@code errMsg}. Written straight to UTF-8 bytes with a streaming
 * generator, {@code envelope} and {@code pretty} applied on the way: at 10,000 clusters the
 * simulator shares the machine with the monitor it serves, and building a tree per job, then a
 * String per page, then its bytes cost it more CPU than the monitor spent on the same pages.
 */
final class AtlasJson {
    /** Writes one resource as a JSON object. */
    @FunctionalInterface
    interface Item<T> {
        void write(JsonGenerator gen, T item) throws IOException;
    }

    /** A whole response body. */
    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator gen) throws IOException;
    }

    private AtlasJson() {
    }

    static String timestamp(Instant instant) {
        return InstantText.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** A job of a cluster: replica-set jobs carry {@code exportStatus}, sharded ones {@code components}. */
    static Item<SimJob> job(SimProject project, SimCluster cluster, Instant now, ApiVersion version, String apiBase) {
        return (gen, job) -> {
            JobStatus status = job.status(now);
            gen.writeStartObject();
            if (cluster.sharded()) {
                gen.writeArrayFieldStart("components");
                for (int shard = 0; shard < cluster.shards(); shard++) {
                    gen.writeStartObject();
                    gen.writeStringField("exportId", SimIds.of(SimIds.COMPONENT, job.serial() * 64 + shard));
                    gen.writeStringField("replicaSetName",
                            "atlas-" + cluster.name().toLowerCase(Locale.ROOT) + "-shard-" + shard);
                    gen.writeEndObject();
                }
                gen.writeEndArray();
            }
            String created = timestamp(job.createdAt());
            gen.writeStringField("createdAt", created);
            gen.writeArrayFieldStart("customData");
            for (ExportJob.CustomData data : job.customData()) {
                gen.writeStartObject();
                gen.writeStringField("key", data.key());
                gen.writeStringField("value", data.value());
                gen.writeEndObject();
            }
            gen.writeEndArray();
            gen.writeStringField("exportBucketId", job.exportBucketId());
            if (!cluster.sharded()) {
                gen.writeObjectFieldStart("exportStatus");
                gen.writeNumberField("exportedCollections", status.exportedCollections());
                gen.writeNumberField("totalCollections", status.totalCollections());
                gen.writeEndObject();
            }
            if (status.finishedAt() != null) {
                gen.writeStringField("finishedAt", timestamp(status.finishedAt()));
            }
            gen.writeStringField("id", job.id());
            links(gen, apiBase + exportsPath(cluster) + "/" + job.id());
            // As Atlas writes it (ids, not names, unless the schedule's useOrgAndGroupNamesInExportPrefix; no leading slash).
            gen.writeStringField("prefix", "exported_snapshots/" + SimIds.of(SimIds.ORG, 1) + "/" + project.id() + "/"
                    + cluster.name() + "/" + prefixTime(created) + "/" + job.createdAt().getEpochSecond());
            gen.writeStringField("snapshotId", job.snapshotId());
            gen.writeStringField("state", status.state());
            if (ExportState.FAILED.equals(status.state()) && status.failReason() != null) {
                if (version == ApiVersion.V2) {
                    gen.writeObjectFieldStart("stateReason");
                    gen.writeStringField("errorCode", status.errorCode());
                    gen.writeStringField("message", status.failReason());
                    gen.writeEndObject();
                } else {
                    gen.writeStringField("errMsg", status.failReason());
                }
            }
            gen.writeEndObject();
        };
    }

    static Item<SimProject> project(String apiBase) {
        return (gen, project) -> {
            gen.writeStartObject();
            gen.writeNumberField("clusterCount", project.clusters().size());
            gen.writeStringField("created", timestamp(project.created()));
            gen.writeStringField("id", project.id());
            links(gen, apiBase + "/groups/" + project.id());
            gen.writeStringField("name", project.name());
            gen.writeStringField("orgId", SimIds.of(SimIds.ORG, 1));
            gen.writeEndObject();
        };
    }

    static Item<SimCluster> cluster(String apiBase) {
        return (gen, cluster) -> {
            gen.writeStartObject();
            gen.writeBooleanField("backupEnabled", false);
            gen.writeStringField("clusterType", cluster.type().toString());
            gen.writeStringField("groupId", cluster.groupId());
            gen.writeStringField("id", cluster.id());
            links(gen, apiBase + "/groups/" + cluster.groupId() + "/clusters/" + cluster.name());
            gen.writeStringField("mongoDBVersion", "7.0.14");
            gen.writeStringField("name", cluster.name());
            gen.writeBooleanField("paused", false);
            gen.writeBooleanField("providerBackupEnabled", true);
            gen.writeStringField("stateName", "IDLE");
            gen.writeEndObject();
        };
    }

    static Item<SimCluster.SimSnapshot> snapshot(SimCluster cluster, String apiBase) {
        return (gen, snapshot) -> {
            gen.writeStartObject();
            gen.writeStringField("createdAt", timestamp(snapshot.createdAt()));
            gen.writeStringField("expiresAt", timestamp(snapshot.createdAt().plus(7, ChronoUnit.DAYS)));
            gen.writeStringField("frequencyType", "daily");
            gen.writeStringField("id", snapshot.id());
            links(gen, apiBase + "/groups/" + cluster.groupId() + "/clusters/" + cluster.name()
                    + "/backup/snapshots/" + snapshot.id());
            if (cluster.sharded()) {
                gen.writeArrayFieldStart("members");
                for (int shard = 0; shard < cluster.shards(); shard++) {
                    gen.writeStartObject();
                    gen.writeStringField("cloudProvider", "AWS");
                    gen.writeStringField("id", snapshot.id() + "-" + shard);
                    gen.writeStringField("replicaSetName", "atlas-" + cluster.name().toLowerCase(Locale.ROOT) + "-shard-" + shard);
                    gen.writeEndObject();
                }
                gen.writeEndArray();
            }
            gen.writeStringField("snapshotType", "scheduled");
            gen.writeStringField("status", "completed");
            gen.writeStringField("type", cluster.sharded() ? "shardedCluster" : "replicaSet");
            gen.writeEndObject();
        };
    }

    /** The backup schedule: only what the simulated world knows (auto-export); no policy items. */
    static Item<SimCluster> schedule(String apiBase) {
        return (gen, cluster) -> {
            SimCluster.SimSchedule schedule = cluster.schedule();
            gen.writeStartObject();
            gen.writeBooleanField("autoExportEnabled", schedule != null && schedule.autoExport());
            gen.writeStringField("clusterId", cluster.id());
            gen.writeStringField("clusterName", cluster.name());
            if (schedule != null) {
                gen.writeObjectFieldStart("export");
                gen.writeStringField("exportBucketId", schedule.bucketId());
                gen.writeStringField("frequencyType", schedule.frequency());
                gen.writeEndObject();
            }
            links(gen, apiBase + "/groups/" + cluster.groupId() + "/clusters/" + cluster.name() + "/backup/schedule");
            gen.writeNumberField("referenceHourOfDay", 0);
            gen.writeNumberField("referenceMinuteOfHour", 0);
            gen.writeNumberField("restoreWindowDays", 7);
            gen.writeBooleanField("useOrgAndGroupNamesInExportPrefix", false);
            gen.writeEndObject();
        };
    }

    static Item<SimProject.SimBucket> bucket(SimProject project, String apiBase) {
        return (gen, bucket) -> {
            gen.writeStartObject();
            gen.writeStringField("_id", bucket.id());
            gen.writeStringField("bucketName", bucket.name());
            gen.writeStringField("cloudProvider", "AWS");
            gen.writeStringField("iamRoleId", SimIds.of(SimIds.BUCKET, 0xffff));
            links(gen, apiBase + "/groups/" + project.id() + "/backup/exportBuckets/" + bucket.id());
            gen.writeEndObject();
        };
    }

    /**
     * A list body: {@code links} (self, and next/previous where they exist), {@code results},
     * {@code totalCount}; with {@code envelope=true} also {@code status}, as Atlas adds it.
     */
    static <T> byte[] list(Page<T> page, Item<T> item, int status, QueryOptions options, String listUrl) {
        return write(options, gen -> {
            gen.writeStartObject();
            gen.writeArrayFieldStart("links");
            if (options.pageNum() > 1) {
                link(gen, pageUrl(listUrl, options.pageNum() - 1, options), "previous");
            }
            link(gen, pageUrl(listUrl, options.pageNum(), options), "self");
            if (options.hasNext(page.total())) {
                link(gen, pageUrl(listUrl, options.pageNum() + 1, options), "next");
            }
            gen.writeEndArray();
            gen.writeArrayFieldStart("results");
            for (T each : page.items()) {
                item.write(gen, each);
            }
            gen.writeEndArray();
            if (options.includeCount()) {
                gen.writeNumberField("totalCount", page.total());
            }
            if (options.envelope()) {
                gen.writeNumberField("status", status);
            }
            gen.writeEndObject();
        });
    }

    /** One resource; with {@code envelope=true} wrapped as Atlas does: {@code {status, content}}. */
    static <T> byte[] single(T resource, Item<T> item, int status, QueryOptions options) {
        return write(options, gen -> {
            if (options.envelope()) {
                gen.writeStartObject();
                gen.writeNumberField("status", status);
                gen.writeFieldName("content");
                item.write(gen, resource);
                gen.writeEndObject();
            } else {
                item.write(gen, resource);
            }
        });
    }

    private static byte[] write(QueryOptions options, Body body) {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder()) {
            try (JsonGenerator gen = SimJson.JSON.createGenerator(bytes)) {
                if (options.pretty()) {
                    gen.useDefaultPrettyPrinter();
                }
                body.write(gen);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a JSON body to memory", e);
        }
    }

    /**
     * {@code yyyy-MM-ddTHHmm} of Atlas's export prefixes, cut from the job's {@link #timestamp}
     * ({@code yyyy-MM-ddTHH:mm:ssZ}): a DateTimeFormatter per job was a sixth of rendering a page.
     */
    private static String prefixTime(String timestamp) {
        return timestamp.substring(0, 13) + timestamp.substring(14, 16);
    }

        static String exportsPath(SimCluster cluster) {
        return "/groups/" + cluster.groupId() + "/clusters/" + cluster.name() + "/backup/exports";
    }

    private static String pageUrl(String listUrl, int pageNum, QueryOptions options) {
        return listUrl + "?pageNum=" + pageNum + "&itemsPerPage=" + options.itemsPerPage();
    }

    private static void links(JsonGenerator gen, String selfHref) throws IOException {
        gen.writeArrayFieldStart("links");
        link(gen, selfHref, "self");
        gen.writeEndArray();
    }

    private static void link(JsonGenerator gen, String href, String rel) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("href", href);
        gen.writeStringField("rel", rel);
        gen.writeEndObject();
    }
}
