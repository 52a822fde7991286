package io.github.atlasexport.atlas;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.atlasexport.bench.ExportJobPages;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-written reader against databind over a tree, the way jobs were read before (and clusters still are). */
class ExportJobReaderUnitTests {
    private static final AtlasPages.ItemReader<ExportJob> DATABIND = AtlasPages.bound(ExportJob.class, "id");
    private static final String BASE = "\"id\":\"65a000000000000000000001\",\"state\":\"InProgress\"";

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** Same job from both, or the same kind of refusal: IllegalArgumentException, or a JSON error. */
    private static void sameAsDatabind(String json) {
        Object expected = outcome(json, DATABIND);
        Object actual = outcome(json, ExportJobReader::read);
        assertEquals(expected, actual, json);
    }

    private static Object outcome(String json, AtlasPages.ItemReader<ExportJob> reader) {
        try {
            return AtlasPages.one(bytes(json), reader);
        } catch (IllegalArgumentException e) {
            return IllegalArgumentException.class;
        } catch (JsonProcessingException e) {
            return JsonProcessingException.class;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRealisticPageReadsAsDatabindReadsIt() throws IOException {
        byte[] page = ExportJobPages.page("6560a1010000000000000000", 3, 500, 7);

        List<ExportJob> jobs = AtlasPages.list(page, ExportJobReader::read).results();

        assertEquals(AtlasPages.list(page, DATABIND).results(), jobs);
        assertEquals(500, jobs.size());
        assertEquals(List.of("InProgress", "Queued", "Successful", "Failed", "Cancelled"),
                jobs.stream().map(ExportJob::state).distinct().toList());
        // Documented states are shared, not one String per job.
        assertTrue(jobs.stream().allMatch(job -> ExportState.DOCUMENTED.stream().anyMatch(state -> state == job.state())));
    }

    @Test
    void everyFieldOfEveryShape() {
        sameAsDatabind("{" + BASE + ",\"snapshotId\":\"s\",\"exportBucketId\":\"b\",\"prefix\":\"/p\","
                + "\"createdAt\":\"2024-05-01T10:00:00Z\",\"finishedAt\":\"2024-05-01T11:00:00.250Z\","
                + "\"stateReason\":{\"errorCode\":\"E\",\"message\":\"m\",\"extra\":[1]},\"errMsg\":\"old\","
                + "\"exportStatus\":{\"exportedCollections\":3,\"totalCollections\":9,\"extra\":{}},"
                + "\"components\":[{\"exportId\":\"c0\",\"replicaSetName\":\"rs0\",\"extra\":null},{\"exportId\":\"c1\"}],"
                + "\"customData\":[{\"key\":\"k\",\"value\":\"v\"},{\"key\":\"k2\"}]}");
        sameAsDatabind("{" + BASE + ",\"components\":[],\"customData\":[]}");
        sameAsDatabind("{" + BASE + "}");
    }

    @Test
    void unknownFieldsAreSkippedAndUnknownStatesKept() {
        sameAsDatabind("{\"links\":[{\"href\":\"x\",\"rel\":\"self\"}],\"someFieldAtlasAddsLater\":{\"nested\":[true,{\"a\":1}]},"
                + "\"id\":\"j\",\"state\":\"Paused\",\"n\":1.5,\"b\":false}");
    }

    @Test
    void unusualValuesGoToDatabindAndEndTheSame() {
        for (String field : List.of(
                "\"snapshotId\":null", "\"snapshotId\":42", "\"snapshotId\":true", "\"snapshotId\":{}", "\"snapshotId\":[]",
                "\"createdAt\":null", "\"createdAt\":\"2024-05-01T12:00:00+02:00\"", "\"createdAt\":\"2024-05-01T10:00:00.123456789Z\"",
                "\"createdAt\":\"2024-05-01t10:00:00z\"", "\"createdAt\":\"2024-05-01T10:00:00+0000\"", "\"createdAt\":\"\"",
                "\"createdAt\":\"not a time\"", "\"createdAt\":\"2024-02-30T10:00:00Z\"", "\"createdAt\":1714557600",
                "\"createdAt\":1714557600.5", "\"createdAt\":\"1714557600\"", "\"createdAt\":{}",
                "\"exportStatus\":null", "\"exportStatus\":{\"exportedCollections\":\"3\",\"totalCollections\":null}",
                "\"exportStatus\":{\"exportedCollections\":1.0}", "\"exportStatus\":{\"exportedCollections\":99999999999}",
                "\"exportStatus\":{\"exportedCollections\":\"x\"}", "\"exportStatus\":7",
                "\"stateReason\":null", "\"stateReason\":{\"message\":null}", "\"stateReason\":\"text\"",
                "\"components\":null", "\"components\":[null]", "\"components\":[1]", "\"components\":{}",
                "\"customData\":null", "\"customData\":[null]", "\"customData\":[{\"key\":1,\"value\":false}]",
                "\"customData\":\"x\"")) {
            sameAsDatabind("{" + BASE + "," + field + "}");
        }
    }

    @Test
    void aJobWithoutATextualIdIsRefused() {
        for (String json : List.of("{\"state\":\"Queued\"}", "{\"id\":null}", "{\"id\":7}", "{\"id\":{\"a\":1}}",
                "{\"id\":[\"x\"]}", "[]", "null", "\"id\"", "")) {
            sameAsDatabind(json);
            assertThrows(IllegalArgumentException.class, () -> AtlasPages.one(bytes(json), ExportJobReader::read), json);
        }
    }

    @Test
    void aListWithoutResultsIsNotAnEmptyList() throws IOException {
        for (String body : List.of("{}", "{\"results\":null}", "{\"results\":{}}", "[]", "\"x\"", "", "{\"links\":[],\"totalCount\":3}")) {
            assertNull(AtlasPages.list(bytes(body), ExportJobReader::read), body);
        }
        assertEquals(new AtlasPages.ListBody<>(List.of(), 0L),
                AtlasPages.list(bytes("{\"links\":[],\"results\":[],\"totalCount\":0}"), ExportJobReader::read));
        assertThrows(JsonProcessingException.class, () -> AtlasPages.list(bytes("{\"results\": [ {\"id\": "), ExportJobReader::read));
        assertEquals(List.of("a"), AtlasPages.list(bytes("{\"results\":[{\"id\":\"a\"},{\"state\":\"Queued\"}]}"),
                ExportJobReader::read).results().stream().map(ExportJob::id).toList());
    }

    @Test
    void unreadableFieldsAreNamed() throws IOException {
        String page = "{\"results\":[{\"state\":\"Queued\"},"
                + ScriptedAtlasServer.jobJson("a1", "Queued").replace("\"2024-05-01T10:00:00Z\"", "{\"$date\":1}") + ","
                + ScriptedAtlasServer.jobJson("a2", "Queued").replace("\"exportedCollections\":1", "\"exportedCollections\":\"one\"") + ","
                + "{\"id\":\"a3\",\"components\":[{\"exportId\":\"c\"},7]}]}";

        AtlasPages.ListBody<ExportJob> body = AtlasPages.list(bytes(page),
                ReactorAtlasClient.EXPORT_JOB);

        assertEquals(List.of(), body.results());
        assertEquals(List.of("id", "createdAt", "exportStatus.exportedCollections", "components[1]"),
                body.unreadable().stream().map(AtlasPages.Unreadable::field).toList());
    }

    @Test
    void timestampsMatchDatabindWhicheverPathTheyTake() throws IOException {
        for (String at : List.of("2024-05-01T10:00:00Z", "2024-05-01T10:00:00.5Z", "2024-05-01T12:00:00+02:00",
                "2024-05-01T10:00:60Z", "2024-05-01T10:00:00.Z")) {
            String json = "{\"id\":\"j\",\"createdAt\":\"" + at + "\"}";
            sameAsDatabind(json);
        }
        ExportJob job = AtlasPages.one(bytes("{\"id\":\"j\",\"createdAt\":\"2024-05-01T12:00:00.5+02:00\"}"), ExportJobReader::read);
        assertEquals(Instant.parse("2024-05-01T10:00:00.5Z"), job.createdAt());
    }
}
