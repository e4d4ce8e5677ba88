package dev.hearth.inference.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectContextTest {
    @TempDir Path root;

    @Test
    void aFileIsReadWithItsHashAndTokenCount() throws Exception {
        Files.writeString(root.resolve("a.txt"), "abcdefgh");
        var context = new ProjectContext(ProjectFiles.of(root), TokenCount.ESTIMATE);
        var f = context.add("a.txt");
        assertEquals(ProjectContext.sha256("abcdefgh".getBytes(StandardCharsets.UTF_8)), f.sha256());
        assertEquals(2, f.tokens());
        assertEquals("9c56cc51b374c3ba189210d5b6d4bf57790d351c96c47c02190ecf1e430635ab", f.sha256());
    }

    @Test
    void aFileChangedOnDiskIsNoticedAndReRead() throws Exception {
        var file = root.resolve("a.txt");
        Files.writeString(file, "one");
        var context = new ProjectContext(ProjectFiles.of(root), TokenCount.ESTIMATE);
        var before = context.add("a.txt");
        Files.writeString(file, "two, and longer");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        var changes = context.refresh();
        assertEquals(1, changes.size());
        assertEquals(ProjectContext.Change.Kind.CHANGED, changes.getFirst().kind());
        assertEquals(before.sha256(), changes.getFirst().oldSha256());
        assertEquals("two, and longer", context.files().getFirst().text());
        assertTrue(context.refresh().isEmpty(), "a second look finds nothing new");
    }

    @Test
    void aFileTouchedButUnchangedIsNotAChange() throws Exception {
        var file = root.resolve("a.txt");
        Files.writeString(file, "same");
        var context = new ProjectContext(ProjectFiles.of(root), TokenCount.ESTIMATE);
        context.add("a.txt");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals(List.of(), context.refresh());
    }

    @Test
    void aDeletedFileLeavesTheContext() throws Exception {
        Files.writeString(root.resolve("a.txt"), "x");
        var context = new ProjectContext(ProjectFiles.of(root), TokenCount.ESTIMATE);
        context.add("a.txt");
        Files.delete(root.resolve("a.txt"));
        var changes = context.refresh();
        assertEquals(ProjectContext.Change.Kind.GONE, changes.getFirst().kind());
        assertFalse(context.contains("a.txt"));
    }

    @Test
    void binaryIgnoredAndMissingFilesAreRefusedWithTheReason() throws Exception {
        Files.write(root.resolve("b.bin"), new byte[] {1, 0, 2});
        Files.writeString(root.resolve(".gitignore"), "*.tmp\n");
        Files.writeString(root.resolve("c.tmp"), "x");
        var context = new ProjectContext(ProjectFiles.of(root), TokenCount.ESTIMATE);
        assertTrue(assertThrows(ProjectException.class, () -> context.add("b.bin")).getMessage().contains("binary"));
        assertTrue(assertThrows(ProjectException.class, () -> context.add("c.tmp")).getMessage().contains("not a file"));
        assertTrue(assertThrows(ProjectException.class, () -> context.add("../x")).getMessage().contains("not a file"));
    }

    @Test
    void aFolderAddsItsIncludableFiles() throws Exception {
        Files.createDirectories(root.resolve("src/x"));
        Files.writeString(root.resolve("src/a.java"), "a");
        Files.writeString(root.resolve("src/x/b.java"), "b");
        Files.write(root.resolve("src/x/c.bin"), new byte[] {0});
        Files.writeString(root.resolve("top.txt"), "t");
        var project = ProjectFiles.of(root);
        var context = new ProjectContext(project, TokenCount.ESTIMATE);
        var added = context.addFolder(project.list(), "src");
        assertEquals(List.of("src/a.java", "src/x/b.java"), added.stream().map(ContextFile::path).toList());
    }
}
