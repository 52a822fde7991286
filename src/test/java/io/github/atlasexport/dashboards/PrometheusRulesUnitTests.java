package io.github.atlasexport.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped alerting rules keep the SPEC's alert names, labels and metric names, and every alert is tested. */
class PrometheusRulesUnitTests {

    private static final Path DIRECTORY = Path.of("deploy", "prometheus");
    private static final Set<String> SPEC_ALERTS = Set.of("AtlasExportJobFailed", "AtlasExportJobCancelled",
            "AtlasExportJobStuck", "AtlasExportNoRecentSuccess", "AtlasExportTargetDown", "AtlasExportOverdue",
            "AtlasExportBucketFailing");

    /**
     * The one metric the rules read beyond SPEC section 5 (README's metrics table lists it): without it
     * a failure the monitor saw happen and one already there at its first poll look the same.
     */
    private static final Set<String> BEYOND_SPEC = Set.of("atlas_export_first_poll_timestamp_seconds");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void alertNamesAreExactlyTheSpecOnes() throws IOException {
        Set<String> names = new TreeSet<>();
        alertRules().forEach(rule -> names.add(rule.path("alert").asText()));
        assertEquals(new TreeSet<>(SPEC_ALERTS), names);
    }

    @Test
    void everyAlertHasSeverityAndNamesItsClusterInTheDescription() throws IOException {
        for (JsonNode rule : alertRules()) {
            String name = rule.path("alert").asText();
            assertTrue(Set.of("critical", "warning").contains(rule.path("labels").path("severity").asText()), name);
            assertFalse(rule.path("annotations").path("summary").asText().isBlank(), name);
            String description = rule.path("annotations").path("description").asText();
            // A bucket belongs to the project, not to one cluster.
            boolean ofBucket = "AtlasExportBucketFailing".equals(name);
            for (String label : ofBucket ? List.of("group_id", "export_bucket_id") : List.of("group_id", "cluster_name")) {
                assertTrue(description.contains("{{ $labels." + label + " }}"), name + ": " + description);
            }
        }
    }

    @Test
    void everyMetricIsASpecMetric() throws IOException {
        for (JsonNode rule : rules()) {
            List<String> metrics = PromQlScan.of(rule.path("expr").asText()).metricNames();
            assertFalse(metrics.isEmpty(), rule.toString());
            for (String metric : metrics) {
                assertTrue(SpecMetrics.metricOf(metric).isPresent() || BEYOND_SPEC.contains(metric),
                        metric + " is not in SPEC section 5: " + rule);
            }
        }
    }

    @Test
    void everyAlertHasAFiringAndAQuietTestCase() throws IOException {
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (JsonNode test : YAML.readTree(DIRECTORY.resolve("atlas-export-rules.test.yml").toFile()).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                boolean fires = !check.path("exp_alerts").isEmpty();
                (fires ? firing : quiet).add(check.path("alertname").asText());
                check.path("exp_alerts").forEach(alert ->
                        assertFalse(alert.path("exp_annotations").isEmpty(), "annotations not checked: " + check));
            }
        }
        assertTrue(firing.containsAll(SPEC_ALERTS), "alerts never seen firing: " + firing);
        assertTrue(quiet.containsAll(SPEC_ALERTS), "alerts never seen quiet: " + quiet);
    }

    private static List<JsonNode> rules() throws IOException {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : YAML.readTree(DIRECTORY.resolve("atlas-export-rules.yml").toFile()).path("groups")) {
            group.path("rules").forEach(rules::add);
        }
        return rules;
    }

    private static List<JsonNode> alertRules() throws IOException {
        return rules().stream().filter(rule -> rule.has("alert")).toList();
    }
}
