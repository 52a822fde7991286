package io.github.atlasexport.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Realistic v2 list pages of one cluster's export jobs, in the shape the simulator's {@code AtlasJson}
 * writes (and Atlas documents): 24-hex ids, a self link per job, prefix, {@code exportStatus} or
 * {@code components}, {@code customData}, {@code stateReason} on failures. Newest job first.
 *
 * <p>The mix of a cluster with history: the 5 newest jobs are InProgress, the next 3 Queued, then
 * mostly Successful with every 13th Failed and every 29th Cancelled. Every 4th job is sharded (3
 * components) so one page exercises both shapes; a real cluster is one or the other.
 * {@code tick} advances the exported-collection counts of the InProgress jobs: consecutive ticks are
 * two consecutive polls of the same cluster in steady state.
 */
public final class ExportJobPages {
    public static final Instant NEWEST = Instant.parse("2025-06-01T12:00:00Z");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter PREFIX_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm").withZone(ZoneOffset.UTC);
    private static final String API = "https://cloud.mongodb.com/api/atlas/v2";

    private ExportJobPages() {
    }

    /** Page {@code cluster} (0-based) of a project: {@code jobs} jobs, ids unique across clusters. */
    public static byte[] page(String groupId, int cluster, int jobs, int tick) {
        String name = clusterName(cluster);
        String exports = API + "/groups/" + groupId + "/clusters/" + name + "/backup/exports";
        ObjectNode page = JSON.createObjectNode();
        page.putArray("links").addObject()
                .put("href", exports + "?pageNum=1&itemsPerPage=500&includeCount=false")
                .put("rel", "self");
        ArrayNode results = page.putArray("results");
        for (int i = 0; i < jobs; i++) {
            results.add(job(exports, name, (long) cluster * 1_000_000 + i, i, tick));
        }
        try {
            return JSON.writeValueAsBytes(page);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String clusterName(int cluster) {
        return "Cluster" + cluster;
    }

    private static ObjectNode job(String exports, String cluster, long serial, int age, int tick) {
        String state = age < 5 ? "InProgress" : age < 8 ? "Queued"
                : age % 13 == 0 ? "Failed" : age % 29 == 0 ? "Cancelled" : "Successful";
        boolean sharded = age % 4 == 1;
        Instant created = NEWEST.minus(6L * age, ChronoUnit.HOURS).minusSeconds(serial % 600);
        int total = 20 + (int) (serial % 180);
        String id = hex(0x6560a105L, serial);

        ObjectNode job = JSON.createObjectNode();
        if (sharded) {
            ArrayNode components = job.putArray("components");
            for (int shard = 0; shard < 3; shard++) {
                components.addObject()
                        .put("exportId", hex(0x6560a106L, serial * 64 + shard))
                        .put("replicaSetName", "atlas-" + cluster.toLowerCase(Locale.ROOT) + "-shard-" + shard);
            }
        }
        job.put("createdAt", timestamp(created));
        ArrayNode customData = job.putArray("customData");
        if (age % 5 == 0) {
            customData.addObject().put("key", "exported by").put("value", "nightly-archive");
        }
        job.put("exportBucketId", hex(0x6560a104L, serial % 3));
        if (!sharded) {
            int exported = switch (state) {
                case "Successful" -> total;
                case "Queued" -> 0;
                case "InProgress" -> Math.min(total - 1, age * 3 + tick);
                default -> total / 2;
            };
            job.putObject("exportStatus").put("exportedCollections", exported).put("totalCollections", total);
        }
        if (!state.equals("InProgress") && !state.equals("Queued")) {
            job.put("finishedAt", timestamp(created.plusSeconds(1200 + serial % 3600)));
        }
        job.put("id", id);
        job.putArray("links").addObject().put("href", exports + "/" + id).put("rel", "self");
        job.put("prefix", "/exported_snapshots/sim-org/Project0/" + cluster + "/" + PREFIX_TIME.format(created)
                + "/" + created.getEpochSecond());
        job.put("snapshotId", hex(0x6560a103L, serial));
        job.put("state", state);
        if (state.equals("Failed")) {
            job.putObject("stateReason")
                    .put("errorCode", "EXPORT_FAILED")
                    .put("message", "Export failed: access denied to bucket (AccessDenied)");
        }
        return job;
    }

    private static String timestamp(Instant at) {
        return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS));
    }

    private static String hex(long kind, long serial) {
        return String.format("%08x%016x", kind, serial);
    }
}
