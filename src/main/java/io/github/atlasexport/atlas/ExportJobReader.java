package io.github.atlasexport.atlas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Reads one {@link ExportJob} field by field from the parser: a tree per job bound by databind cost
 * over three times as much (1.7 ms against 0.5 ms for a 500-job page). A value of the documented
 * JSON type takes the fast path; any other (a number where text is documented, a timestamp in an
 * unusual form) is handed to databind, so what is accepted, and how, stays exactly databind's.
 * Unknown fields are skipped.
 */
final class ExportJobReader {
    private static final TypeReference<List<ExportJob.Component>> COMPONENTS = new TypeReference<>() {
    };
    private static final TypeReference<List<ExportJob.CustomData>> CUSTOM_DATA = new TypeReference<>() {
    };

    private ExportJobReader() {
    }

    /** @throws IllegalArgumentException the value is not an object with a textual {@code id} */
    static ExportJob read(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            throw new AtlasPages.MissingField("ExportJob", "id");
        }
        String id = null;
        String snapshotId = null;
        String exportBucketId = null;
        Instant createdAt = null;
        Instant finishedAt = null;
        String prefix = null;
        String state = null;
        ExportJob.StateReason stateReason = null;
        String errMsg = null;
        ExportJob.ExportStatus exportStatus = null;
        List<ExportJob.Component> components = null;
        List<ExportJob.CustomData> customData = null;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken token = parser.nextToken();
            switch (name) {
                case "id" -> {
                    // Only a textual id identifies a job; the job is then rejected below, as before.
                    id = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                    parser.skipChildren();
                }
                case "snapshotId" -> snapshotId = text(parser, token);
                case "exportBucketId" -> exportBucketId = text(parser, token);
                case "createdAt" -> createdAt = instant(parser, token);
                case "finishedAt" -> finishedAt = instant(parser, token);
                case "prefix" -> prefix = text(parser, token);
                case "state" -> state = shared(text(parser, token));
                case "stateReason" -> stateReason = stateReason(parser, token);
                case "errMsg" -> errMsg = text(parser, token);
                case "exportStatus" -> exportStatus = exportStatus(parser, token);
                case "components" -> components = list(parser, token, ExportJobReader::component, COMPONENTS);
                case "customData" -> customData = list(parser, token, ExportJobReader::customData, CUSTOM_DATA);
                default -> parser.skipChildren();
            }
        }
        if (id == null) {
            throw new AtlasPages.MissingField("ExportJob", "id");
        }
        return new ExportJob(id, snapshotId, exportBucketId, createdAt, finishedAt, prefix, state, stateReason,
                errMsg, exportStatus, components, customData);
    }

    /** A documented state as its one shared String: a tracked job keeps its body, state included, for days. */
    private static String shared(String state) {
        return state == null ? null : switch (state) {
            case ExportState.QUEUED -> ExportState.QUEUED;
            case ExportState.IN_PROGRESS -> ExportState.IN_PROGRESS;
            case ExportState.SUCCESSFUL -> ExportState.SUCCESSFUL;
            case ExportState.FAILED -> ExportState.FAILED;
            case ExportState.CANCELLED -> ExportState.CANCELLED;
            default -> state;
        };
    }

    private static String text(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NULL -> null;
            default -> AtlasJson.MAPPER.readValue(parser, String.class);
        };
    }

    private static Instant instant(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_STRING) {
            Instant fast = IsoInstants.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            if (fast != null) {
                return fast;
            }
        }
        return token == JsonToken.VALUE_NULL ? null : AtlasJson.MAPPER.readValue(parser, Instant.class);
    }

    private static int number(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NUMBER_INT -> parser.getIntValue();
            case VALUE_NULL -> 0;
            default -> AtlasJson.MAPPER.readValue(parser, int.class);
        };
    }

    private static ExportJob.StateReason stateReason(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            return AtlasJson.MAPPER.readValue(parser, ExportJob.StateReason.class);
        }
        String errorCode = null;
        String message = null;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken value = parser.nextToken();
            switch (name) {
                case "errorCode" -> errorCode = text(parser, value);
                case "message" -> message = text(parser, value);
                default -> parser.skipChildren();
            }
        }
        return new ExportJob.StateReason(errorCode, message);
    }

    private static ExportJob.ExportStatus exportStatus(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            return AtlasJson.MAPPER.readValue(parser, ExportJob.ExportStatus.class);
        }
        int exported = 0;
        int total = 0;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken value = parser.nextToken();
            switch (name) {
                case "exportedCollections" -> exported = number(parser, value);
                case "totalCollections" -> total = number(parser, value);
                default -> parser.skipChildren();
            }
        }
        return new ExportJob.ExportStatus(exported, total);
    }

    private static ExportJob.Component component(JsonParser parser) throws IOException {
        return textPair(parser, ExportJob.Component.class, "exportId", "replicaSetName", ExportJob.Component::new);
    }

    private static ExportJob.CustomData customData(JsonParser parser) throws IOException {
        return textPair(parser, ExportJob.CustomData.class, "key", "value", ExportJob.CustomData::new);
    }

    /** An object of two text fields (a shard's component, a custom data entry); anything else goes to databind. */
    private static <T> T textPair(JsonParser parser, Class<T> type, String firstName, String secondName,
                                  BiFunction<String, String, T> make) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return AtlasJson.MAPPER.readValue(parser, type);
        }
        String first = null;
        String second = null;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken token = parser.nextToken();
            if (name.equals(firstName)) {
                first = text(parser, token);
            } else if (name.equals(secondName)) {
                second = text(parser, token);
            } else {
                parser.skipChildren();
            }
        }
        return make.apply(first, second);
    }

    /** The elements of an array; a null element is refused as databind refuses it (the job's lists hold no nulls). */
    private static <T> List<T> list(JsonParser parser, JsonToken token, AtlasPages.ItemReader<T> element,
                                    TypeReference<List<T>> type) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            return AtlasJson.MAPPER.readValue(parser, type);
        }
        List<T> elements = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() == JsonToken.VALUE_NULL) {
                throw JsonMappingException.from(parser, "null element in an ExportJob list");
            }
            elements.add(element.read(parser));
        }
        return elements;
    }
}
