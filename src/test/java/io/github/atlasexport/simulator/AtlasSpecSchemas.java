package io.github.atlasexport.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON schemas of Atlas's v2 OpenAPI spec kept in {@code src/test/resources/atlas-spec} (see its
 * README), read as JSON Schema 2020-12 with four adjustments made here, where they can be seen:
 * OpenAPI 3.0's {@code nullable} becomes a {@code "null"} type; every object with declared
 * {@code properties} gets {@code additionalProperties: false}, since Atlas documents each field it
 * sends and a field it never sends is one a client could come to rely on; and the job's
 * {@code prefix} loses its {@code pattern}, which in the spec is a template
 * ({@code /exported_snapshots/{ORG-NAME}/...}) rather than a regular expression; and the error's
 * {@code parameters} may hold any JSON values, not only objects, as Atlas's own documented errors
 * do (the token-bucket 429 sends {@code [endpoint, seconds, capacity, refill, period]}).
 */
final class AtlasSpecSchemas {
    static final String JOB = "DiskBackupExportJob";
    static final String JOB_PAGE = "PaginatedApiAtlasDiskBackupExportJobView";
    static final String JOB_REQUEST = "DiskBackupExportJobRequest";
    static final String API_ERROR = "ApiError";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMAS = Map.of(
            JOB, load(JOB), JOB_PAGE, load(JOB_PAGE), JOB_REQUEST, load(JOB_REQUEST), API_ERROR, load(API_ERROR));

    private AtlasSpecSchemas() {
    }

    /** What is wrong with {@code body} as an instance of the named schema; empty when it conforms. */
    static List<String> violations(String schemaName, JsonNode body) {
        List<Error> errors = SCHEMAS.get(schemaName).validate(body,
                context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
        return errors.stream().map(Error::toString).toList();
    }

    private static Schema load(String name) {
        try (InputStream in = AtlasSpecSchemas.class.getResourceAsStream("/atlas-spec/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("no schema atlas-spec/" + name + ".json on the test class path");
            }
            JsonNode schema = SimJson.JSON.readTree(in);
            tighten(schema);
            return REGISTRY.getSchema(schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void tighten(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.path("nullable").asBoolean(false) && object.get("type") != null && object.get("type").isTextual()) {
                ArrayNode types = object.arrayNode().add(object.get("type").asText()).add("null");
                object.set("type", types);
            }
            object.remove("nullable");
            if (object.has("properties") && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            JsonNode prefix = object.path("properties").path("prefix");
            if (prefix instanceof ObjectNode prefixSchema && prefixSchema.path("pattern").asText().contains("ORG-NAME")) {
                prefixSchema.remove("pattern");
            }
            JsonNode parameters = object.path("properties").path("parameters");
            if (parameters instanceof ObjectNode parametersSchema && object.path("properties").has("errorCode")) {
                parametersSchema.remove("items");
            }
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            tighten(children.next());
        }
    }
}
