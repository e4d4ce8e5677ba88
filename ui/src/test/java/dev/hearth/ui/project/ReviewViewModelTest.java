package dev.hearth.ui.project;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.project.edit.EditApplier;
import dev.hearth.inference.project.edit.FileChange;
import dev.hearth.inference.project.edit.GitCommitter;
import dev.hearth.storage.GenerationEnd;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.RunRecord;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.InlineUiTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The review's behaviour without the toolkit: a real project folder, the real SQLite session log.
class ReviewViewModelTest {
    @TempDir Path dir;
    Path root;
    SqliteSessionLog log;
    EditApplier.Origin origin;
    final List<String> followUps = new ArrayList<>();

    static final String TWO_FILES = """
            src/A.java
            ```java
            <<<<<<< SEARCH
            class A {
                int one = 1;
            =======
            class A {
                int one = 1; // first
            >>>>>>> REPLACE
            <<<<<<< SEARCH
                int nine = 9;
            =======
                int nine = 99;
            >>>>>>> REPLACE
            ```

            ```text notes/new.txt
            a new file
            ```
            """;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(dir.resolve("project"));
        Files.createDirectories(root.resolve("src"));
        var a = new StringBuilder("class A {\n    int one = 1;\n");
        for (int i = 2; i <= 8; i++) a.append("    int n").append(i).append(" = ").append(i).append(";\n");
        a.append("    int nine = 9;\n}\n");
        Files.writeString(root.resolve("src/A.java"), a.toString().replace("\n", "\r\n"));
        openLog();
    }

    private void openLog() throws Exception {
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));
        if (origin == null) {
            long session = log.createSession("project chat", null);
            var gen = log.startGeneration(session, null, new RunRecord("/m.gguf", "m.gguf", null, "llama.cpp test",
                    "in-process", Map.of(), Map.of(), 1, "prompt", 3, Instant.now()));
            gen.finish(new GenerationEnd(GenerationStatus.DONE, "eos", null, TWO_FILES, null, Instant.now()));
            origin = new EditApplier.Origin(session, gen.id().get());
        }
    }

    @AfterEach
    void closeLog() {
        log.close();
    }

    private ReviewViewModel review(String answer, GitCommitter git) {
        return new ReviewViewModel(root, answer, origin, new EditLogJournal(log), git, new InlineUiTasks(), followUps::add);
    }

    private ReviewViewModel review(String answer) {
        return review(answer, new GitCommitter("/nonexistent/git"));
    }

    @Test
    void everyHunkStartsAcceptedAndARejectedOneIsNotWritten() throws Exception {
        var vm = review(TWO_FILES);
        assertEquals(ReviewViewModel.State.REVIEWING, vm.stateProperty().get());
        assertEquals(2, vm.files().size());
        var a = vm.files().getFirst();
        assertEquals(2, a.change().hunks().size());
        assertEquals(FileChange.Kind.CREATE, vm.files().get(1).change().kind());
        assertTrue(vm.canApplyProperty().get());
        assertEquals(a, vm.selectedProperty().get());

        a.acceptedProperty(1).set(false);
        assertTrue(a.label().contains("1/2"), a.label());
        vm.apply();
        assertEquals(ReviewViewModel.State.APPLIED, vm.stateProperty().get(), vm.messageProperty().get());
        var text = Files.readString(root.resolve("src/A.java"));
        assertTrue(text.contains("int one = 1; // first\r\n"), text);
        assertTrue(text.contains("int nine = 9;\r\n"), "the rejected hunk is not applied: " + text);
        assertEquals("a new file\n", Files.readString(root.resolve("notes/new.txt")));

        var record = log.edits(origin.sessionId(), 10).getFirst();
        assertEquals(origin.generationId(), record.generationId());
        assertEquals(List.of("src/A.java", "notes/new.txt"), record.files().stream().map(f -> f.path()).toList());
        assertNotNull(record.files().get(0).beforeSha256());
        assertNull(record.files().get(1).beforeSha256(), "the new file did not exist before");
        assertEquals(FileChange.sha256(Files.readAllBytes(root.resolve("src/A.java"))), record.files().get(0).afterSha256());
    }

    @Test
    void rejectingEverythingLeavesNothingToApply() {
        var vm = review(TWO_FILES);
        vm.acceptAll(false);
        assertFalse(vm.canApplyProperty().get());
        vm.apply();
        assertEquals(ReviewViewModel.State.REVIEWING, vm.stateProperty().get());
        assertFalse(Files.exists(root.resolve("notes/new.txt")));
    }

    @Test
    void undoSurvivesARestartAndRestoresTheBytesExactly() throws Exception {
        var original = Files.readAllBytes(root.resolve("src/A.java"));
        review(TWO_FILES).apply();
        log.close();
        openLog(); // a new Hearth: the review of the same answer offers the Undo of its apply

        var reopened = review(TWO_FILES);
        assertEquals(ReviewViewModel.State.APPLIED, reopened.stateProperty().get());
        reopened.undo();
        assertEquals(ReviewViewModel.State.UNDONE, reopened.stateProperty().get(), reopened.messageProperty().get());
        assertArrayEquals(original, Files.readAllBytes(root.resolve("src/A.java")));
        assertFalse(Files.exists(root.resolve("notes")), "the folder the apply created goes too, read from the log");
        assertTrue(Files.isDirectory(root.resolve("src")), "the folder that was there before stays");
        assertNotNull(log.edits(origin.sessionId(), 10).getFirst().undoneAt());
        assertEquals(ReviewViewModel.State.REVIEWING, review(TWO_FILES).stateProperty().get(),
                "once undone, the answer can be reviewed again");
    }

    @Test
    void aFileChangedAfterTheApplyMakesUndoAskFirst() throws Exception {
        var vm = review(TWO_FILES);
        vm.apply();
        Files.writeString(root.resolve("notes/new.txt"), "edited by hand\n", UTF_8);
        vm.undo();
        assertEquals(ReviewViewModel.State.APPLIED, vm.stateProperty().get());
        assertTrue(vm.staleUndoProperty().get());
        assertTrue(vm.messageProperty().get().contains("notes/new.txt"), vm.messageProperty().get());
        assertEquals("edited by hand\n", Files.readString(root.resolve("notes/new.txt")));
        vm.undoAnyway();
        assertEquals(ReviewViewModel.State.UNDONE, vm.stateProperty().get());
        assertFalse(Files.exists(root.resolve("notes")));
    }

    @Test
    void aSearchThatDoesNotMatchIsReportedAndCanBeSentAsAFollowUp() {
        var vm = review("""
                src/A.java
                <<<<<<< SEARCH
                    int two = 2;
                =======
                    int two = 22;
                >>>>>>> REPLACE
                """);
        assertTrue(vm.files().isEmpty());
        assertEquals(1, vm.problems().size());
        assertTrue(vm.problems().getFirst().message().contains("src/A.java"), vm.problems().getFirst().message());
        assertFalse(vm.canApplyProperty().get());
        vm.sendFollowUp();
        assertEquals(1, followUps.size());
        assertTrue(followUps.getFirst().contains("int two = 2;") && followUps.getFirst().contains("src/A.java"),
                followUps.getFirst());
    }

    @Test
    void anEscapingPathIsReportedAndNothingIsWritten() {
        var vm = review("```../outside.txt\nx\n```\n");
        assertTrue(vm.files().isEmpty());
        assertTrue(vm.problems().getFirst().message().contains("out of the project"), vm.problems().getFirst().message());
        assertFalse(Files.exists(dir.resolve("outside.txt")));
    }

    @Test
    void theApplyIsCommittedWhenTheProjectIsAGitRepository() throws Exception {
        var git = new GitCommitter();
        try {
            git.isRepository(root);
        } catch (dev.hearth.inference.project.edit.EditException e) {
            Assumptions.abort("git is not installed here: " + e.getMessage());
        }
        run("git", "init", "-q", root.toString());
        run("git", "-C", root.toString(), "config", "user.email", "test@hearth.dev");
        run("git", "-C", root.toString(), "config", "user.name", "Hearth test");
        run("git", "-C", root.toString(), "add", "-A");
        run("git", "-C", root.toString(), "commit", "-q", "-m", "first");
        var vm = review(TWO_FILES, git);
        assertTrue(vm.gitRepositoryProperty().get());
        vm.commitProperty().set(true);
        vm.apply();
        assertTrue(vm.messageProperty().get().contains("Committed as"), vm.messageProperty().get());
        var commit = log.edits(origin.sessionId(), 1).getFirst().gitCommit();
        assertNotNull(commit);
        assertEquals(commit, run("git", "-C", root.toString(), "rev-parse", "HEAD").strip());
    }

    private static String run(String... command) throws Exception {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
