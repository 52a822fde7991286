package io.github.atlasexport.dashboards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.atlasexport.testing.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two replicas watching the same clusters export the same series but for their {@code instance} (and a
 * {@code replica} label where Prometheus adds one): the counting panels show one replica's numbers, not
 * twice them. Evaluated by the real PromQL engine ({@code promtool test rules}) on series of both replicas.
 */
class DashboardReplicasIntegrationTests {
    private static final String G = "6600000000000000000000e1";
    private static final List<String> REPLICAS = List.of("monitor-a:9871", "monitor-b:9871");

    /** Panel title to its value with both replicas scraped: what one replica alone shows. */
    private static final Map<String, String> EXPECTED = Map.of(
            "Failed jobs", "3",
            "Stuck jobs", "1",
            "In-progress jobs", "2",
            "Queued jobs", "1",
            "Clusters without a recent success", "1",
            "Targets down", "1");

    @Test
    void countingPanelsDoNotDoubleWithTwoReplicas(@TempDir Path dir) throws Exception {
        List<String> series = new ArrayList<>();
        for (String replica : REPLICAS) {
            series.addAll(List.of(
                    jobs(replica, "c1", "Failed", 2), jobs(replica, "c2", "Failed", 1),
                    jobs(replica, "c1", "InProgress", 1), jobs(replica, "c2", "InProgress", 1),
                    jobs(replica, "c1", "Queued", 1),
                    sample("atlas_export_jobs_stuck", replica, "c1", "state=\"InProgress\"", "1x10"),
                    sample("atlas_export_last_success_timestamp_seconds", replica, "c1", null, "200x10"),
                    sample("atlas_export_target_up", replica, "c1", null, "1x10"),
                    sample("atlas_export_target_up", replica, "c2", null, "0x10"),
                    sample("atlas_export_transitions_total", replica, "c1", "from=\"InProgress\",to=\"Failed\"", "0+1x10")));
        }
        // c3 is down on one replica only: watched by the other, so not down.
        series.add(sample("atlas_export_target_up", REPLICAS.get(0), "c3", null, "1x10"));
        series.add(sample("atlas_export_target_up", REPLICAS.get(1), "c3", null, "0x10"));
        series.add(sample("atlas_export_last_success_timestamp_seconds", REPLICAS.get(0), "c3", null, "250x10"));
        series.add(sample("atlas_export_last_success_timestamp_seconds", REPLICAS.get(1), "c3", null, "250x10"));

        List<Map<String, Object>> tests = new ArrayList<>();
        for (DashboardQueries.PanelQuery query : DashboardQueries.extract(DashboardQueries.OVERVIEW,
                DashboardQueries.matchAll("5m"))) {
            String expected = EXPECTED.get(query.panelTitle());
            if (expected != null) {
                tests.add(exprTest(query.expr(), "{}", expected));
            } else if (query.panelTitle().equals("State transitions")) {
                tests.add(exprTest(query.expr(), "{to=\"Failed\"}", "5")); // one replica's increase over 5m
            }
        }
        if (tests.size() != EXPECTED.size() + 1) {
            throw new AssertionError("a counting panel is missing from the dashboard: " + tests);
        }
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("evaluation_interval", "1m");
        file.put("tests", List.of(Map.of("interval", "1m", "input_series", series.stream()
                .map(line -> Map.of("series", line.substring(0, line.indexOf(' ')), "values", line.substring(line.indexOf(' ') + 1)))
                .toList(), "promql_expr_test", tests)));
        new ObjectMapper(new YAMLFactory()).writeValue(dir.resolve("replicas.test.yml").toFile(), file);
        Promtool.assertSucceeds(dir, "test", "rules", "replicas.test.yml");
    }

    private static String jobs(String replica, String cluster, String state, int count) {
        return sample("atlas_export_jobs", replica, cluster, "state=\"" + state + "\"", count + "x10");
    }

    /** {@code name{labels} values}: the scrape labels Prometheus adds, the monitor's own, and more of them. */
    private static String sample(String name, String replica, String cluster, String more, String values) {
        return name + "{job=\"atlas-export\",instance=\"" + replica + "\",group_id=\"" + G + "\",cluster_name=\""
                + cluster + "\"" + (more == null ? "" : "," + more) + "} " + values;
    }

    private static Map<String, Object> exprTest(String expr, String labels, String value) {
        return Map.of("expr", expr, "eval_time", "10m",
                "exp_samples", List.of(Map.of("labels", labels, "value", Double.parseDouble(value))));
    }
}
