package io.github.atlasexport.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL queries of a Grafana dashboard with its template variables filled in, ready to send to a
 * Prometheus: used by the dashboard tests here and by end-to-end tests against a real Prometheus.
 */
public final class DashboardQueries {

    /** The shipped dashboard, relative to the project directory (the working directory of tests). */
    public static final Path OVERVIEW = Path.of("dashboards", "atlas-export-overview.json");

    /** One target of one panel. */
    public record PanelQuery(String panelTitle, String refId, String expr) {
    }

    /** {@code $name} or {@code ${name}}, Grafana's two plain variable forms. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

    private static final ObjectMapper JSON = new ObjectMapper();

    private DashboardQueries() {
    }

    /**
     * Every panel's target expressions with each {@code $variable} replaced by {@code variables.get("variable")},
     * e.g. {@code job -> ".*"} or {@code __rate_interval -> "1m"}. Values are inserted verbatim.
     *
     * @throws IllegalArgumentException if an expression uses a variable missing from {@code variables}
     */
    public static List<PanelQuery> extract(Path dashboard, Map<String, String> variables) throws IOException {
        List<PanelQuery> queries = new ArrayList<>();
        for (JsonNode panel : panels(JSON.readTree(dashboard.toFile()))) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new PanelQuery(panel.path("title").asText(), target.path("refId").asText(),
                        interpolate(target.path("expr").asText(), variables)));
            }
        }
        return List.copyOf(queries);
    }

    /** Values that select everything, the way the dashboard's "All" does, and the given rate interval. */
    public static Map<String, String> matchAll(String rateInterval) {
        return Map.of("job", ".*", "instance", ".*", "group_id", ".*", "cluster_name", ".*",
                "__rate_interval", rateInterval);
    }

    /** All panels in layout order, including rows and the panels nested in collapsed rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    static String interpolate(String expr, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = variables.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no value for $" + name + " in: " + expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }
}
