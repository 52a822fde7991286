package io.github.atlasexport.dashboards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.atlasexport.testing.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every dashboard query, as Grafana sends it with "All" selected, parses in the real PromQL parser. */
class DashboardQueriesIntegrationTests {

    @Test
    void everyQueryIsValidPromQl(@TempDir Path dir) throws Exception {
        // promtool has no offline "check query", but it parses every recording rule's expression.
        List<Map<String, String>> rules = new ArrayList<>();
        List<DashboardQueries.PanelQuery> queries =
                DashboardQueries.extract(DashboardQueries.OVERVIEW, DashboardQueries.matchAll("1m"));
        for (int i = 0; i < queries.size(); i++) {
            rules.add(Map.of("record", "dashboard_query_" + i, "expr", queries.get(i).expr()));
        }
        new ObjectMapper(new YAMLFactory()).writeValue(dir.resolve("queries.yml").toFile(),
                Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules))));
        Promtool.assertSucceeds(dir, "check", "rules", "queries.yml");
    }
}
