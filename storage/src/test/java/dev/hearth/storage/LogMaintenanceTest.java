package dev.hearth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogMaintenanceTest {
    @TempDir Path dir;
    SqliteSessionLog log;

    @BeforeEach
    void open() {
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void latestModelPathsGivesTheFileOfEachModelsNewestGeneration() {
        var old = Fixtures.run("a", "alpha", 0.8);
        Fixtures.generate(log, null, old, Fixtures.tokens(2, 0, 1));
        var newer = new RunRecord("/elsewhere/alpha.gguf", "alpha", null, "b", "worker", Map.of(), Map.of(), 1, "b", 1,
                old.startedAt().plusSeconds(60));
        Fixtures.generate(log, null, newer, Fixtures.tokens(2, 0, 2));
        Fixtures.generate(log, null, Fixtures.run("c", "beta", 0.8), Fixtures.tokens(2, 0, 3));

        assertEquals(Map.of("alpha", "/elsewhere/alpha.gguf", "beta", "/models/beta.gguf"), log.latestModelPaths());
    }

    @Test
    void vacuumGivesBackTheSpaceOfPurgedSessions() {
        long s = log.createSession("Big", null);
        for (int i = 0; i < 20; i++) Fixtures.generate(log, s, Fixtures.run("p" + i), Fixtures.tokens(400, 10, i));
        log.deleteSession(s);
        assertEquals(1, log.purgeDeleted(Instant.now().plusSeconds(1)));
        log.vacuum(); // checkpoints the WAL, so the freed pages are counted in the database file
        var before = log.fileSize();

        long s2 = log.createSession("Big again", null);
        for (int i = 0; i < 20; i++) Fixtures.generate(log, s2, Fixtures.run("q" + i), Fixtures.tokens(400, 10, i));
        log.deleteSession(s2);
        log.purgeDeleted(Instant.now().plusSeconds(1));
        log.flush();
        var fragmented = log.fileSize();
        log.vacuum();
        var after = log.fileSize();

        assertTrue(fragmented.totalBytes() > before.totalBytes(), "the second batch grew the file: " + fragmented);
        assertTrue(after.totalBytes() < fragmented.totalBytes(), after + " < " + fragmented);
        assertEquals(0, after.walBytes(), "the write-ahead log is truncated");
        assertEquals(0, after.freeBytes());
        assertEquals("ok", log.integrityCheck());
    }

    @Test
    void theLogKeepsWorkingAfterAVacuum() {
        log.vacuum();
        long s = log.createSession("After", null);
        long g = Fixtures.generate(log, s, Fixtures.run("hello"), Fixtures.tokens(3, 0, 1));
        assertEquals(3, log.tokens(g).size());
    }
}
