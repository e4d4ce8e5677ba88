package dev.hearth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionExportTest {
    @TempDir Path dir;

    private static String jsonl(SessionLog log, List<Generation> generations) throws Exception {
        var out = new StringWriter();
        SessionExport.writeJsonl(log, generations, out);
        return out.toString();
    }

    @Test
    void importingAnExportedSessionReproducesTheSameRecords() throws Exception {
        String exported;
        List<Generation> originals;
        List<List<Token>> originalTokens;
        try (var a = SqliteSessionLog.open(dir.resolve("a.db"))) {
            long s = a.createSession("Round trip", null);
            Fixtures.generate(a, s, Fixtures.run("first \"quoted\" prompt\nwith lines"), Fixtures.tokens(40, 10, 1));
            var failed = a.startGeneration(s, null, Fixtures.run("second"));
            Fixtures.tokens(3, 0, 2).forEach(failed::append);
            failed.finish(new GenerationEnd(GenerationStatus.FAILED, null, "out of memory", null, null,
                    Instant.parse("2026-11-20T10:02:00Z")));
            a.flush();
            originals = a.generations(s);
            originalTokens = originals.stream().map(g -> a.tokens(g.id())).toList();
            exported = jsonl(a, originals);
        }
        assertEquals(2, exported.lines().count(), "one generation a line");

        try (var b = SqliteSessionLog.open(dir.resolve("b.db"))) {
            var result = SessionExport.importJsonl(b, new BufferedReader(new StringReader(exported)));
            assertEquals(new SessionExport.ImportResult(2, 0), result);
            var session = b.sessions(5).getFirst();
            assertEquals("Round trip", session.title());
            var copies = b.generations(session.id());
            assertEquals(2, copies.size());
            for (int i = 0; i < 2; i++) {
                var o = originals.get(i);
                var c = copies.get(i);
                assertEquals(o.uuid(), c.uuid());
                assertEquals(o.run(), c.run());
                assertEquals(o.status(), c.status());
                assertEquals(o.stopReason(), c.stopReason());
                assertEquals(o.failureReason(), c.failureReason());
                assertEquals(o.output(), c.output());
                assertEquals(o.stats(), c.stats());
                assertEquals(o.endedAt(), c.endedAt());
                assertEquals(o.tokenCount(), c.tokenCount());
                assertEquals(originalTokens.get(i), b.tokens(c.id()));
            }
            assertEquals(exported, jsonl(b, copies), "the export of the import is byte-identical");
            var again = SessionExport.importJsonl(b, new BufferedReader(new StringReader(exported)));
            assertEquals(new SessionExport.ImportResult(0, 2), again, "importing twice adds nothing");
            assertEquals(1, b.search(SearchQuery.of("quoted")).size(), "imported generations are searchable");
        }
    }

    @Test
    void aLineThatIsNotAGenerationIsRefusedWithItsNumber() throws Exception {
        try (var log = SqliteSessionLog.open(dir.resolve("c.db"))) {
            var ex = assertThrows(StorageException.class, () -> SessionExport.importJsonl(log,
                    new BufferedReader(new StringReader("\n{\"format\":\"something-else\"}\n"))));
            assertEquals(StorageException.Kind.BAD_INPUT, ex.kind());
            assertTrue(ex.getMessage().startsWith("Line 2 is not a Hearth generation"), ex.getMessage());
            var notJson = assertThrows(StorageException.class, () -> SessionExport.importJsonl(log,
                    new BufferedReader(new StringReader("{oops"))));
            assertTrue(notJson.getMessage().startsWith("Line 1"), notJson.getMessage());
        }
    }

    @Test
    void markdownTranscriptShowsRunRecordPromptAndOutput() throws Exception {
        try (var log = SqliteSessionLog.open(dir.resolve("d.db"))) {
            long s = log.createSession("Sky", null);
            Fixtures.generate(log, s, Fixtures.run("Why is the sky blue? ```code```"), Fixtures.tokens(5, 0, 3));
            var out = new StringWriter();
            SessionExport.writeMarkdown("Sky", log.generations(s), out);
            var md = out.toString();
            assertTrue(md.startsWith("# Sky\n"), md);
            assertTrue(md.contains("## 1. tiny-llama · 2026-11-20T10:00:00Z · done"), md);
            assertTrue(md.contains("- Sampling: `{\"temperature\":0.8,\"topK\":40,\"topP\":0.95}`, seed 42"), md);
            assertTrue(md.contains("````text\nWhy is the sky blue? ```code```\n````"), "a longer fence than the text's: " + md);
            assertTrue(md.contains("time to first token 35.0 ms"), md);
        }
    }
}
