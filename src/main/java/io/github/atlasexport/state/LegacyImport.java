package io.github.atlasexport.state;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.Map;

/**
 * Imports a JSON state file of the earlier format into the database, once. The JSON is at the state
 * path itself (a config that kept {@code state.path: data/state.json}) or beside a database that does
 * not exist yet ({@code state.db} next to {@code state.json}). The database is written whole under a
 * temporary name, then the JSON is renamed {@code *.imported}, then the database takes its name: a crash
 * at any point leaves either the JSON to import again or a complete database to finish renaming.
 */
final class LegacyImport {
    private static final Logger log = LoggerFactory.getLogger(LegacyImport.class);
    private static final int IO_BUFFER = 256 * 1024;

    private LegacyImport() {
    }

    static void run(Path database) {
        Path importing = database.resolveSibling(database.getFileName() + ".importing");
        Path json = source(database);
        try {
            if (json == null) {
                if (!Files.exists(database) && Files.isRegularFile(importing)) {
                    move(importing, database); // a crash between the last two renames
                }
                return;
            }
            Files.deleteIfExists(importing);
            PersistedState legacy;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(json), IO_BUFFER)) {
                legacy = StateFormat.read(in);
            }
            writeDatabase(importing, legacy);
            Path imported = json.resolveSibling(json.getFileName() + ".imported");
            move(json, imported);
            move(importing, database);
            log.info("Imported the JSON state file {} ({} clusters) into {}; the JSON file is now {}",
                    json, legacy.clusters().size(), database, imported);
        } catch (IOException | SQLException | RuntimeException e) {
            // The JSON stays where it is: the next start tries again. Starting empty meanwhile is the
            // same as a corrupt state file's fate.
            log.error("Could not import the JSON state file {} into {} ({}); starting without it", json, database,
                    e.getMessage());
        }
    }

    /** The JSON file to import, or null. */
    private static Path source(Path database) {
        if (Files.isRegularFile(database)) {
            return StateStore.isJson(database) ? database : null;
        }
        String name = database.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path beside = database.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
        return !beside.equals(database) && Files.isRegularFile(beside) && StateStore.isJson(beside) ? beside : null;
    }

    private static void writeDatabase(Path file, PersistedState legacy) throws SQLException {
        JsonNode alerts = StateFormat.legacyAlerts(legacy);
        PersistedState state = new PersistedState(legacy.clusters(), alerts == null ? Map.of()
                : Map.of(StateStore.LEGACY_ALERTS, Map.of(StateStore.LEGACY_ALERTS_KEY, alerts)));
        try (StateDatabase database = StateDatabase.open(file)) {
            database.apply(StateDelta.between(PersistedState.empty(), state));
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
