package dev.hearth.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.storage.GenerationEnd;
import dev.hearth.storage.GenerationStats;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.RunRecord;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.storage.Token;
import dev.hearth.storage.TopToken;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCommandTest {
    @TempDir Path dir;
    Path db;
    long sessionId;
    long generationId;

    record Result(int code, String out, String err) {}

    Result run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cli = Cli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        var all = new ArrayList<>(List.of("log", "--db", db.toString()));
        all.addAll(List.of(args));
        int code = cli.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeEach
    void fill() {
        db = dir.resolve("hearth.db");
        try (var log = SqliteSessionLog.open(db)) {
            sessionId = log.createSession("Blue sky", null);
            for (int n = 0; n < 3; n++) {
                var run = new RunRecord("/models/tiny.gguf", "tiny", null, "llama.cpp b4916", "in-process",
                        Map.of("contextSize", 512), Map.of("temperature", 0.5 + n), n, "Why is the sky blue? take " + n,
                        8, Instant.parse("2026-11-20T10:00:00Z").plusSeconds(n));
                var w = log.startGeneration(sessionId, null, run);
                var pieces = List.of("Rayleigh", " scattering", ".");
                for (int i = 0; i < pieces.size(); i++) {
                    w.append(new Token(i, 100 + i, pieces.get(i), -0.1f * (i + 1), 0, 0.5f, 10f * (i + 1),
                            List.of(new TopToken(100 + i, pieces.get(i), -0.1f * (i + 1)), new TopToken(7, "Mie", -2.5f))));
                }
                w.finish(new GenerationEnd(GenerationStatus.DONE, "eos", null, null,
                        new GenerationStats(8, 20, 3, 30, 100.0 * (n + 1), 400, 15 + n), Instant.parse("2026-11-20T10:00:05Z")));
                generationId = w.id().join();
            }
        }
    }

    @Test
    void listShowsTheLatestGenerationsFirst() throws Exception {
        var r = run("list", "--limit", "2");
        assertEquals(0, r.code(), r.err());
        var lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(1).startsWith(String.valueOf(generationId)), r.out());
        assertTrue(lines.get(1).contains("take 2"), r.out());
        var json = new ObjectMapper().readTree(run("list", "--json").out());
        assertEquals(3, json.size());
        assertEquals("done", json.get(0).get("status").asText());
    }

    @Test
    void showPrintsTheRunRecordAndTokens() throws Exception {
        var r = run("show", String.valueOf(generationId), "--tokens");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Rayleigh scattering."), r.out());
        assertTrue(r.out().contains("\" scattering\""), r.out());
        assertTrue(r.out().contains("\"Mie\" -2.5"), r.out());
        var json = new ObjectMapper().readTree(run("show", String.valueOf(generationId), "--json", "--tokens").out());
        assertEquals(3, json.get("tokens").size());
        assertEquals(2.5, json.get("run").get("sampling").get("temperature").asDouble());
        var missing = run("show", "999");
        assertEquals(1, missing.code());
        assertEquals("hearth: no generation 999 in the log\n", missing.err());
    }

    @Test
    void searchFindsAndHighlights() {
        var r = run("search", "scattering");
        assertEquals(0, r.code(), r.err());
        assertEquals(3, r.out().lines().count(), r.out());
        assertTrue(r.out().contains("[scattering]"), r.out());
        assertEquals("No generation matches.\n", run("search", "nothing-like-this").out());
    }

    @Test
    void exportThenImportIntoAnotherDatabaseKeepsEverything() throws Exception {
        var file = dir.resolve("out.jsonl");
        var r = run("export", "--session", String.valueOf(sessionId), "--format", "jsonl", "-o", file.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(3, Files.readAllLines(file).size());
        var md = run("export", "--query", "sky", "--format", "md");
        assertTrue(md.out().startsWith("# Search: sky"), md.out());

        db = dir.resolve("other.db");
        var imported = run("import", file.toString());
        assertEquals(0, imported.code(), imported.err());
        assertEquals("Imported 3 generations (0 already in the log).\n", imported.out());
        assertEquals("Imported 0 generations (3 already in the log).\n", run("import", file.toString()).out());
        var again = dir.resolve("again.jsonl");
        run("export", "--session", "1", "--format", "jsonl", "-o", again.toString());
        assertEquals(Files.readString(file), Files.readString(again));
    }

    @Test
    void exportNeedsExactlyOneSource() {
        var r = run("export", "--format", "md");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("hearth: "), r.err());
    }

    @Test
    void statsGivesPercentilesPerModel() throws Exception {
        var r = run("stats");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("tiny") && l.contains("200.0") && l.contains("300.0")), r.out());
        var json = new ObjectMapper().readTree(run("stats", "--model", "tiny", "--json").out());
        assertEquals(3, json.get(0).get("generations").asInt());
        assertEquals(16.0, json.get(0).get("ttftMs").get("median").asDouble());
    }

    @Test
    void aDatabaseFromANewerHearthIsOneClearLine() throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.execute("PRAGMA user_version = 42");
        }
        var r = run("list");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("hearth: ") && r.err().contains("newer Hearth") && r.err().lines().count() == 1, r.err());
    }
}
