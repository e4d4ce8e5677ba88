package dev.hearth.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EditLogTest {
    @TempDir Path dir;

    @Test
    void appliedEditsAndTheirCheckpointsSurviveReopeningTheLog() {
        var bytes = new byte[] {'a', '\r', '\n', 0, (byte) 0xff};
        long session;
        long id;
        var applied = Instant.ofEpochMilli(1_700_000_000_000L);
        try (var log = SqliteSessionLog.open(dir.resolve("hearth.db"))) {
            session = log.createSession("project chat", null);
            id = log.recordEdit(new NewEdit(session, null, "/work/project", applied, List.of(
                    new NewEdit.File("src/A.java", bytes, "aa11", "bb22"),
                    new NewEdit.File("empty.txt", new byte[0], "e3b0", "cc33"),
                    new NewEdit.File("docs/new.md", null, null, "dd44"),
                    new NewEdit.File("docs/a/b/deep.md", null, null, "ee55")), List.of("docs", "docs/a", "docs/a/b")));
            log.setEditCommit(id, "0123abcd");
        }
        try (var log = SqliteSessionLog.open(dir.resolve("hearth.db"))) {
            var edit = log.edit(id).orElseThrow();
            assertEquals(session, edit.sessionId());
            assertNull(edit.generationId());
            assertEquals("/work/project", edit.root());
            assertEquals(applied, edit.appliedAt());
            assertNull(edit.undoneAt());
            assertEquals("0123abcd", edit.gitCommit());
            assertEquals(List.of(new EditRecord.EditedFile("src/A.java", "aa11", "bb22"),
                    new EditRecord.EditedFile("empty.txt", "e3b0", "cc33"),
                    new EditRecord.EditedFile("docs/new.md", null, "dd44"),
                    new EditRecord.EditedFile("docs/a/b/deep.md", null, "ee55")), edit.files());
            assertEquals(List.of("docs", "docs/a", "docs/a/b"), edit.createdFolders(), "in the order kept, parents first");
            var checkpoint = log.editCheckpoint(id);
            assertArrayEquals(bytes, checkpoint.get("src/A.java"));
            assertArrayEquals(new byte[0], checkpoint.get("empty.txt"), "an empty file is not a missing one");
            assertFalse(checkpoint.containsKey("docs/new.md"));

            var undone = Instant.ofEpochMilli(1_700_000_100_000L);
            log.markEditUndone(id, undone);
            assertEquals(undone, log.edit(id).orElseThrow().undoneAt());
            assertEquals(List.of(id), log.edits(session, 10).stream().map(EditRecord::id).toList());
            assertEquals(List.of(), log.edits(session + 1, 10));
        }
    }

    @Test
    void editsAreListedNewestFirstAndADiscardedOneIsGone() {
        try (var log = SqliteSessionLog.open(dir.resolve("hearth.db"))) {
            long first = log.recordEdit(new NewEdit(null, null, "/p", Instant.ofEpochMilli(1000),
                    List.of(new NewEdit.File("a", null, null, "x"))));
            long second = log.recordEdit(new NewEdit(null, null, "/p", Instant.ofEpochMilli(2000),
                    List.of(new NewEdit.File("b", null, null, "y"))));
            assertEquals(List.of(second, first), log.edits(null, 10).stream().map(EditRecord::id).toList());
            log.deleteEdit(second);
            assertEquals(List.of(), log.edit(first).orElseThrow().createdFolders());
            assertTrue(log.edit(second).isEmpty());
            assertTrue(log.editCheckpoint(second).isEmpty());
            var e = assertThrows(StorageException.class, () -> log.markEditUndone(second, Instant.now()));
            assertEquals(StorageException.Kind.BAD_INPUT, e.kind());
        }
    }

    @Test
    void anEditOutlivesItsSession() {
        try (var log = SqliteSessionLog.open(dir.resolve("hearth.db"))) {
            long session = log.createSession("s", null);
            long id = log.recordEdit(new NewEdit(session, null, "/p", Instant.now(),
                    List.of(new NewEdit.File("a", new byte[] {1}, "h", "g"))));
            log.deleteSession(session);
            log.purgeDeleted(Instant.now().plusSeconds(1));
            var edit = log.edit(id).orElseThrow();
            assertNull(edit.sessionId());
            assertArrayEquals(new byte[] {1}, log.editCheckpoint(id).get("a"));
        }
    }
}
