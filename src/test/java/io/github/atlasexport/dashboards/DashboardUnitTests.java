package io.github.atlasexport.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped Grafana dashboard imports as-is and only queries SPEC metrics, filtered by its variables. */
class DashboardUnitTests {

    private static final String DATASOURCE = "${datasource}";
    /** Query variables in chain order: each one's values are filtered by all before it. */
    private static final List<String> FILTERS = List.of("job", "instance", "group_id", "cluster_name");
    /** Labels Prometheus adds to every scraped series, so every selector can filter on them. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    /** SPEC metrics that carry no operational signal for this dashboard. */
    private static final Set<String> NOT_CHARTED = Set.of("atlas_export_job_info", "atlas_export_build_info");

    private static JsonNode dashboard;

    @BeforeAll
    static void load() throws IOException {
        dashboard = new ObjectMapper().readTree(DashboardQueries.OVERVIEW.toFile());
    }

    @Test
    void hasAFixedIdentityForImport() {
        assertTrue(dashboard.has("id") && dashboard.get("id").isNull(), "id must be null");
        assertEquals("atlas-export-overview", dashboard.path("uid").asText());
        assertEquals("Atlas export jobs", dashboard.path("title").asText());
        assertEquals(39, dashboard.path("schemaVersion").asInt());
    }

    @Test
    void datasourceIsAPrometheusVariable() {
        JsonNode variable = variable("datasource");
        assertEquals("datasource", variable.path("type").asText());
        assertEquals("prometheus", variable.path("query").asText());
        assertEquals("Data Source", variable.path("label").asText());
    }

    @Test
    void filterVariablesAreChainedMultiValueQueries() {
        for (int i = 0; i < FILTERS.size(); i++) {
            String name = FILTERS.get(i);
            JsonNode variable = variable(name);
            assertEquals("query", variable.path("type").asText(), name);
            assertTrue(variable.path("multi").asBoolean() && variable.path("includeAll").asBoolean(), name);
            assertEquals(".*", variable.path("allValue").asText(), name);
            assertEquals(DATASOURCE, variable.path("datasource").path("uid").asText(), name);
            String definition = variable.path("definition").asText();
            assertEquals(definition, variable.path("query").path("query").asText(), name);
            String selector = definition.replaceFirst("^label_values\\((.*), " + name + "\\)$", "$1");
            assertFalse(selector.equals(definition), "not label_values(..., " + name + "): " + definition);
            PromQlScan.Selector scanned = PromQlScan.of(selector).selectors().get(0);
            assertEquals("atlas_export_target_up", scanned.metric(), name);
            Map<String, String> expected = new LinkedHashMap<>();
            FILTERS.subList(0, i).forEach(previous -> expected.put(previous, "=~$" + previous));
            assertEquals(expected, scanned.matchers(), name);
        }
    }

    @Test
    void everyPanelHasTitleDescriptionUnitAndTheDatasourceVariable() {
        for (JsonNode panel : chartPanels()) {
            String title = panel.path("title").asText();
            assertFalse(title.isBlank(), "untitled panel " + panel.path("id"));
            assertFalse(panel.path("description").asText().isBlank(), title);
            assertFalse(panel.path("fieldConfig").path("defaults").path("unit").asText().isBlank(), title);
            assertDatasourceVariable(panel.path("datasource"), title);
            assertFalse(panel.path("targets").isEmpty(), title);
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                assertDatasourceVariable(target.path("datasource"), title);
                assertFalse(target.path("expr").asText().isBlank(), title);
                assertTrue(refIds.add(target.path("refId").asText()), title + ": duplicate refId");
            }
        }
    }

    @Test
    void everyRangeIsTheRateInterval() {
        int ranges = 0;
        for (String expr : exprs()) {
            PromQlScan scan = PromQlScan.of(expr);
            if (expr.contains("rate(") || expr.contains("increase(")) {
                assertFalse(scan.ranges().isEmpty(), expr);
            }
            for (String range : scan.ranges()) {
                assertEquals("$__rate_interval", range, expr);
                ranges++;
            }
        }
        assertTrue(ranges > 0, "no rate() on the dashboard at all");
    }

    @Test
    void everyMetricIsASpecMetricFilteredByTheVariables() {
        for (String expr : exprs()) {
            List<PromQlScan.Selector> selectors = PromQlScan.of(expr).selectors();
            assertFalse(selectors.isEmpty(), expr);
            for (PromQlScan.Selector selector : selectors) {
                String metric = SpecMetrics.metricOf(selector.metric()).orElseThrow(
                        () -> new AssertionError(selector.metric() + " is not in SPEC section 5: " + expr));
                Set<String> filtered = new TreeSet<>(TARGET_LABELS);
                FILTERS.stream().filter(SpecMetrics.LABELS.get(metric)::contains).forEach(filtered::add);
                for (String label : filtered) {
                    assertEquals("=~$" + label, selector.matchers().get(label), metric + " in " + expr);
                }
            }
        }
    }

    @Test
    void chartsEveryOperationalSpecMetric() {
        Set<String> charted = new TreeSet<>();
        exprs().forEach(expr -> PromQlScan.of(expr).metricNames()
                .forEach(name -> SpecMetrics.metricOf(name).ifPresent(charted::add)));
        Set<String> expected = new TreeSet<>(SpecMetrics.LABELS.keySet());
        expected.removeAll(NOT_CHARTED);
        assertEquals(expected, charted);
    }

    @Test
    void panelsTileTheGridWithoutOverlap() {
        List<JsonNode> panels = DashboardQueries.panels(dashboard);
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < panels.size(); i++) {
            JsonNode a = panels.get(i);
            assertTrue(ids.add(a.path("id").asInt()), "duplicate panel id " + a.path("id"));
            JsonNode pos = a.path("gridPos");
            assertTrue(pos.path("w").asInt() > 0 && pos.path("h").asInt() > 0, a.path("title").asText());
            assertTrue(pos.path("x").asInt() + pos.path("w").asInt() <= 24, a.path("title").asText());
            for (JsonNode b : panels.subList(i + 1, panels.size())) {
                assertFalse(overlap(pos, b.path("gridPos")), a.path("title") + " overlaps " + b.path("title"));
            }
        }
        assertEquals("row", panels.get(0).path("type").asText(), "the first panel opens a row");
    }

    @Test
    void extractFillsInEveryVariable() throws IOException {
        List<DashboardQueries.PanelQuery> queries =
                DashboardQueries.extract(DashboardQueries.OVERVIEW, DashboardQueries.matchAll("1m"));
        assertEquals(exprs().size(), queries.size());
        for (DashboardQueries.PanelQuery query : queries) {
            assertFalse(query.expr().contains("$"), query.toString());
            assertFalse(query.panelTitle().isBlank() || query.refId().isBlank(), query.toString());
        }
        assertTrue(queries.stream().anyMatch(q -> q.expr().contains("[1m]")));
        assertTrue(queries.stream().anyMatch(q -> q.expr().contains("cluster_name=~\".*\"")));
    }

    @Test
    void extractRefusesAMissingVariable() {
        assertThrows(IllegalArgumentException.class, () ->
                DashboardQueries.extract(DashboardQueries.OVERVIEW, Map.of("job", ".*")));
        assertEquals("up{job=~\"a|b\"}[5m] ${x}",
                DashboardQueries.interpolate("up{job=~\"$job\"}[$__rate_interval] ${x}",
                        Map.of("job", "a|b", "__rate_interval", "5m", "x", "${x}")));
    }

    /** The checks above are only as good as the scanner: it must see names behind every construct used. */
    @Test
    void scannerFindsMetricsBehindOperatorsAndLabelLists() {
        PromQlScan scan = PromQlScan.of("histogram_quantile(0.9, sum by (le) (rate(a_bucket{x=~\"$x\", y=\"}\"}[$r])))"
                + " * ignoring (state) group_left () (time() - b offset 1d > 6 * 3600) or c unless on (job) {d=\"e\"}");
        assertEquals(List.of("a_bucket", "b", "c"), scan.metricNames());
        assertEquals(Map.of("x", "=~$x", "y", "=}"), scan.selectors().get(0).matchers());
        assertEquals(Map.of("d", "=e"), scan.selectors().get(3).matchers());
        assertEquals(List.of("$r"), scan.ranges());
    }

    private static JsonNode variable(String name) {
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (name.equals(variable.path("name").asText())) {
                return variable;
            }
        }
        throw new AssertionError("no variable " + name);
    }

    private static List<JsonNode> chartPanels() {
        return DashboardQueries.panels(dashboard).stream()
                .filter(panel -> !"row".equals(panel.path("type").asText()))
                .toList();
    }

    private static List<String> exprs() {
        List<String> exprs = new ArrayList<>();
        chartPanels().forEach(panel -> panel.path("targets").forEach(target -> exprs.add(target.path("expr").asText())));
        return exprs;
    }

    private static void assertDatasourceVariable(JsonNode datasource, String where) {
        assertEquals("prometheus", datasource.path("type").asText(), where);
        assertEquals(DATASOURCE, datasource.path("uid").asText(), where);
    }

    private static boolean overlap(JsonNode a, JsonNode b) {
        return a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
                && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
                && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
                && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
    }
}
