package dev.hearth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationTest {
    static final SqliteSessionLog.Options SCHEMA_2 = new SqliteSessionLog.Options("testdb/migrations.list", 0, SqliteSessionLog.RANK_AT_MOST);
    /// The real schema's number; the test list has one more.
    static final int REAL = SqliteSessionLog.Migrations.load(SqliteSessionLog.MIGRATIONS).latest();
    @TempDir Path dir;

    @Test
    void anOlderDatabaseIsBackedUpThenUpgradedInPlaceKeepingItsData() throws Exception {
        var db = dir.resolve("hearth.db");
        long generation;
        try (var v1 = SqliteSessionLog.open(db)) {
            long s = v1.createSession("from schema 1", null);
            generation = Fixtures.generate(v1, s, Fixtures.run("old prompt"), Fixtures.tokens(20, 3, 1));
        }
        try (var v2 = SqliteSessionLog.open(db, SCHEMA_2)) {
            assertEquals("from schema 1", v2.sessions(5).getFirst().title());
            assertEquals(Fixtures.tokens(20, 3, 1), v2.tokens(generation));
            assertEquals(1, v2.search(SearchQuery.of("old")).size());
        }
        assertEquals(REAL + 1, userVersion(db));
        assertEquals(1, columnCount(db, "tag"));

        List<Path> backups;
        try (var files = Files.list(dir)) {
            backups = files.filter(f -> f.getFileName().toString().startsWith("hearth.db.schema-" + REAL + "-backup-")).toList();
        }
        assertEquals(1, backups.size(), "one backup, taken before the upgrade");
        assertEquals(REAL, userVersion(backups.getFirst()));
        assertEquals(0, columnCount(backups.getFirst(), "tag"));
        try (var copy = SqliteSessionLog.open(backups.getFirst())) {
            assertEquals("old prompt", copy.generation(generation).orElseThrow().run().prompt());
        }
    }

    @Test
    void aCurrentDatabaseIsNotBackedUpAgain() throws Exception {
        var db = dir.resolve("hearth.db");
        SqliteSessionLog.open(db).close();
        SqliteSessionLog.open(db).close();
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains("backup")));
        }
    }

    @Test
    void aSchemaTwoDatabaseIsRefusedBySchemaOneHearth() {
        var db = dir.resolve("hearth.db");
        SqliteSessionLog.open(db, SCHEMA_2).close();
        var ex = assertThrows(StorageException.class, () -> SqliteSessionLog.open(db));
        assertEquals(StorageException.Kind.NEWER_SCHEMA, ex.kind());
    }

    @Test
    void migrationFilesSplitIntoStatementsKeepingTriggersWhole() {
        var statements = SqliteSessionLog.Migrations.statements("""
                -- comment
                CREATE TABLE a (x);
                CREATE TRIGGER t AFTER INSERT ON a BEGIN
                    INSERT INTO a VALUES (1);
                    INSERT INTO a VALUES (2);
                END;
                CREATE INDEX i ON a (x);
                """);
        assertEquals(3, statements.size());
        assertTrue(statements.get(1).endsWith("END;"), statements.get(1));
    }

    private static int userVersion(Path db) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement();
                var rs = st.executeQuery("PRAGMA user_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int columnCount(Path db, String column) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement();
                var rs = st.executeQuery("SELECT count(*) FROM pragma_table_info('generation') WHERE name = '" + column + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
