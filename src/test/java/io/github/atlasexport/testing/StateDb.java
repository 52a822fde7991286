package io.github.atlasexport.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the monitor's state database as a person would with {@code sqlite3}, read-only, while the
 * monitor may be writing it (WAL lets a reader see the last commit). Missing or busy reads as empty.
 */
public final class StateDb {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StateDb() {
    }

    /** {@code groupId/clusterName} of every cluster row. */
    public static List<String> clusters(Path database) {
        List<String> clusters = new ArrayList<>();
        query(database, "SELECT group_id || '/' || cluster_name FROM clusters ORDER BY 1", List.of(),
                rows -> clusters.add(rows.getString(1)));
        return clusters;
    }

    /** The documents of one kind ({@code outbox}, {@code alert-rules}), by key. */
    public static Map<String, JsonNode> documents(Path database, String kind) {
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        query(database, "SELECT key, body FROM documents WHERE kind = ? ORDER BY key", List.of(kind), rows -> {
            try {
                documents.put(rows.getString(1), JSON.readTree(rows.getString(2)));
            } catch (IOException e) {
                throw new SQLException("unreadable document " + rows.getString(1), e);
            }
        });
        return documents;
    }

    private interface Row {
        void read(ResultSet rows) throws SQLException;
    }

    private static void query(Path database, String sql, List<String> parameters, Row row) {
        if (!Files.isRegularFile(database)) {
            return;
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:file:" + database + "?mode=ro");
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setString(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    row.read(rows);
                }
            }
        } catch (SQLException e) {
            // Not created yet, or its tables not yet: nothing saved so far.
        }
    }
}
