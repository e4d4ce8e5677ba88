package dev.hearth.inference.project.edit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EditApplierTest {
    @TempDir
    Path dir;
    Path root;
    final MemoryJournal journal = new MemoryJournal();

    @BeforeEach
    void project() throws IOException {
        root = Files.createDirectories(dir.resolve("project"));
    }

    private void write(String path, String content) throws IOException {
        var file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private String read(String path) throws IOException {
        return Files.readString(root.resolve(path));
    }

    private Checkpoint applyAll(EditPlanner.Plan plan) throws EditException {
        var accepted = plan.files().stream().map(f -> new EditApplier.Accepted(f, f.allHunks())).toList();
        return EditApplier.apply(root, accepted, journal, EditApplier.Origin.NONE);
    }

    @Test
    void aWholeFileBlockReplacesTheFileAndUndoPutsItBack() throws Exception {
        write("src/A.java", "class A {}\n");
        var plan = EditPlanner.plan(root, """
                ```java src/A.java
                class A { int x; }
                ```
                """);
        assertEquals(List.of(), plan.problems());
        var cp = applyAll(plan);
        assertEquals("class A { int x; }\n", read("src/A.java"));
        EditApplier.undo(journal.checkpoint(cp.id()).orElseThrow(), journal, false);
        assertEquals("class A {}\n", read("src/A.java"));
        assertTrue(journal.checkpoint(cp.id()).orElseThrow().undone());
    }

    @Test
    void searchReplaceBlocksApplyInOrder() throws Exception {
        write("a.py", "x = 1\ny = 2\nz = 3\n");
        var plan = EditPlanner.plan(root, """
                a.py
                <<<<<<< SEARCH
                x = 1
                =======
                x = 10
                >>>>>>> REPLACE
                <<<<<<< SEARCH
                z = 3
                =======
                z = 30
                w = 4
                >>>>>>> REPLACE
                """);
        applyAll(plan);
        assertEquals("x = 10\ny = 2\nz = 30\nw = 4\n", read("a.py"));
    }

    @Test
    void aUnifiedDiffAppliesEvenWhenItsLineNumbersAreWrongAndCreatesNewFiles() throws Exception {
        write("src/A.txt", "zero\none\ntwo\nthree\n");
        var plan = EditPlanner.plan(root, """
                ```diff
                --- a/src/A.txt
                +++ b/src/A.txt
                @@ -1,3 +1,3 @@
                 one
                -two
                +TWO
                 three
                --- /dev/null
                +++ b/docs/new.md
                @@ -0,0 +1,2 @@
                +# New
                +text
                ```
                """);
        assertEquals(List.of(), plan.problems());
        assertEquals(FileChange.Kind.CREATE, plan.files().get(1).kind());
        var cp = applyAll(plan);
        assertEquals("zero\none\nTWO\nthree\n", read("src/A.txt"));
        assertEquals("# New\ntext\n", read("docs/new.md"));
        EditApplier.undo(cp, journal, false);
        assertEquals("zero\none\ntwo\nthree\n", read("src/A.txt"));
        assertFalse(Files.exists(root.resolve("docs/new.md")), "undo deletes the file the apply created");
    }

    @Test
    void eachHunkCanBeAcceptedOrRejected() throws Exception {
        var lines = new StringBuilder();
        for (int i = 1; i <= 20; i++) lines.append("line ").append(i).append('\n');
        write("f.txt", lines.toString());
        var plan = EditPlanner.plan(root, "```f.txt\n" + lines.toString().replace("line 2\n", "line two\n")
                .replace("line 18\n", "line eighteen\n") + "```\n");
        var file = plan.files().getFirst();
        assertEquals(2, file.hunks().size());
        assertEquals(List.of("line 2"), file.hunks().get(0).oldLines());
        assertEquals(List.of("line two"), file.hunks().get(0).newLines());
        assertTrue(file.hunks().get(0).unified().contains("-line 2\n+line two\n"));
        EditApplier.apply(root, List.of(new EditApplier.Accepted(file, Set.of(1))), journal, EditApplier.Origin.NONE);
        var now = read("f.txt");
        assertTrue(now.contains("line 2\n") && now.contains("line eighteen\n"), now);
    }

    @Test
    void crlfAndAMissingFinalNewlineAreKeptAndUndoIsByteIdentical() throws Exception {
        var original = "one\r\ntwo\r\nthree".getBytes(UTF_8);
        Files.write(root.resolve("w.txt"), original);
        var plan = EditPlanner.plan(root, """
                w.txt
                <<<<<<< SEARCH
                two
                =======
                TWO
                2
                >>>>>>> REPLACE
                """);
        var cp = applyAll(plan);
        assertEquals("one\r\nTWO\r\n2\r\nthree", read("w.txt"));
        EditApplier.undo(cp, journal, false);
        assertArrayEquals(original, Files.readAllBytes(root.resolve("w.txt")));
    }

    @Test
    void aBinaryOrNonUtf8FileIsNotEdited() throws Exception {
        var binary = new byte[] {1, 2, 0, 3, (byte) 0xff};
        Files.write(root.resolve("img.bin"), binary);
        Files.write(root.resolve("latin.txt"), new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'});
        var plan = EditPlanner.plan(root, "```img.bin\nhello\n```\n\n```latin.txt\ncafe\n```\n");
        assertEquals(List.of(), plan.files());
        assertEquals(2, plan.problems().size());
        assertTrue(plan.problems().getFirst().message().contains("binary"), plan.problems().toString());
        assertArrayEquals(binary, Files.readAllBytes(root.resolve("img.bin")));
    }

    @Test
    void pathsLeavingTheProjectAreRefusedAndNothingIsWritten() throws Exception {
        var outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret\n");
        Files.createSymbolicLink(root.resolve("linked"), outside);
        Files.createSymbolicLink(root.resolve("link.txt"), outside.resolve("secret.txt"));
        var plan = EditPlanner.plan(root, """
                ```../x.txt
                escape
                ```

                ```/tmp/abs.txt
                escape
                ```

                ```linked/secret.txt
                escape
                ```

                ```link.txt
                escape
                ```

                ```src/.git/config
                escape
                ```
                """);
        assertEquals(List.of(), plan.files());
        assertEquals(5, plan.problems().size(), plan.problems().toString());
        assertTrue(plan.problems().stream().allMatch(p -> p instanceof EditProblem.Refused), plan.problems().toString());
        assertFalse(Files.exists(dir.resolve("x.txt")));
        assertFalse(Files.exists(Path.of("/tmp/abs.txt")) && Files.readString(Path.of("/tmp/abs.txt")).equals("escape\n"));
        assertEquals("secret\n", Files.readString(outside.resolve("secret.txt")));
        assertThrows(EditException.class, () -> ProjectPaths.resolve(root, "linked/new.txt"));
    }

    @Test
    void aFolderTurnedIntoALinkOutsideAfterTheReviewRefusesTheWholeApply() throws Exception {
        write("a.txt", "a\n");
        Files.createDirectories(root.resolve("sub"));
        var plan = EditPlanner.plan(root, "```a.txt\nA\n```\n\n```sub/new.txt\nnew\n```\n");
        assertEquals(2, plan.files().size());
        var outside = Files.createDirectories(dir.resolve("outside"));
        Files.delete(root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("sub"), outside);
        var e = assertThrows(EditException.class, () -> applyAll(plan));
        assertEquals(EditException.Kind.UNSAFE_PATH, e.kind());
        assertEquals("a\n", read("a.txt"), "the safe file is not written either");
        assertFalse(Files.exists(outside.resolve("new.txt")));
        assertTrue(journal.kept.isEmpty());
    }

    @Test
    void aFileChangedSinceTheReviewRefusesTheApply() throws Exception {
        write("a.txt", "a\n");
        var plan = EditPlanner.plan(root, "```a.txt\nA\n```\n");
        write("a.txt", "edited by hand\n");
        var e = assertThrows(EditException.class, () -> applyAll(plan));
        assertEquals(EditException.Kind.STALE, e.kind());
        assertEquals("edited by hand\n", read("a.txt"));
    }

    @Test
    void undoIsRefusedWhenTheFileChangedSinceTheApplyUnlessForced() throws Exception {
        write("a.txt", "a\n");
        var cp = applyAll(EditPlanner.plan(root, "```a.txt\nA\n```\n"));
        write("a.txt", "A, then edited by hand\n");
        var e = assertThrows(EditException.class, () -> EditApplier.undo(cp, journal, false));
        assertEquals(EditException.Kind.STALE, e.kind());
        assertTrue(e.getMessage().contains("a.txt"), e.getMessage());
        assertEquals("A, then edited by hand\n", read("a.txt"));
        var undone = EditApplier.undo(cp, journal, true);
        assertEquals("a\n", read("a.txt"));
        assertThrows(EditException.class, () -> EditApplier.undo(undone, journal, false));
    }

    @Test
    void undoRemovesTheFoldersTheApplyCreatedAndNoneThatExistedBefore() throws Exception {
        write("src/Main.java", "class Main {}\n");
        Files.createDirectories(root.resolve("docs")); // empty before the apply: it must stay
        var cp = applyAll(EditPlanner.plan(root, """
                ```java src/new/deep/File.java
                class File {}
                ```

                ```java src/new/Other.java
                class Other {}
                ```

                ```docs/a.md
                # A
                ```
                """));
        assertEquals(List.of("src/new", "src/new/deep"), cp.createdFolders());
        assertEquals(cp.createdFolders(), journal.checkpoint(cp.id()).orElseThrow().createdFolders(), "kept with the checkpoint");
        EditApplier.undo(journal.checkpoint(cp.id()).orElseThrow(), journal, false);
        assertFalse(Files.exists(root.resolve("src/new")), "undo removes the folders the apply created");
        assertEquals("class Main {}\n", read("src/Main.java"));
        assertTrue(Files.isDirectory(root.resolve("docs")), "a folder that existed before the apply stays, even empty");
        assertTrue(Files.isDirectory(root), "the project root stays");
    }

    @Test
    void aFileAddedSinceKeepsItsFolderAndTheFoldersAboveIt() throws Exception {
        var cp = applyAll(EditPlanner.plan(root, "```a/b/c/New.java\nclass New {}\n```\n"));
        assertEquals(List.of("a", "a/b", "a/b/c"), cp.createdFolders());
        write("a/b/Mine.txt", "mine\n");
        EditApplier.undo(cp, journal, false);
        assertFalse(Files.exists(root.resolve("a/b/c")), "the empty folder below goes");
        assertEquals("mine\n", read("a/b/Mine.txt"));
        assertTrue(Files.isDirectory(root.resolve("a")));
    }

    @Test
    void anApplyIntoAnEmptyProjectRemovesItsFoldersButNeverTheRoot() throws Exception {
        var cp = applyAll(EditPlanner.plan(root, "```only/File.txt\nx\n```\n"));
        EditApplier.undo(cp, journal, false);
        assertTrue(Files.isDirectory(root));
        try (var left = Files.list(root)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void aRefusedUndoRemovesNoFolderAndAForcedOneDoes() throws Exception {
        write("x.txt", "x\n");
        var cp = applyAll(EditPlanner.plan(root, "```x.txt\nX\n```\n\n```n/m/New.txt\nnew\n```\n"));
        write("x.txt", "X, then edited by hand\n");
        var e = assertThrows(EditException.class, () -> EditApplier.undo(cp, journal, false));
        assertEquals(EditException.Kind.STALE, e.kind());
        assertEquals("new\n", read("n/m/New.txt"), "a refused undo changes nothing");
        EditApplier.undo(cp, journal, true);
        assertFalse(Files.exists(root.resolve("n")));
    }

    @Test
    void applyingAgainAfterAnUndoCreatesAndRecordsTheFoldersAgain() throws Exception {
        var answer = "```p/q/New.txt\nnew\n```\n";
        var first = applyAll(EditPlanner.plan(root, answer));
        EditApplier.undo(first, journal, false);
        assertFalse(Files.exists(root.resolve("p")));
        var again = applyAll(EditPlanner.plan(root, answer));
        assertEquals(List.of("p", "p/q"), again.createdFolders());
        assertEquals("new\n", read("p/q/New.txt"));
        EditApplier.undo(again, journal, false);
        assertFalse(Files.exists(root.resolve("p")));
    }

    @Test
    void aCreatedFolderReplacedByALinkIsNeitherRemovedNorFollowed() throws Exception {
        var cp = applyAll(EditPlanner.plan(root, "```l/New.txt\nnew\n```\n"));
        Files.delete(root.resolve("l/New.txt"));
        Files.delete(root.resolve("l"));
        var target = Files.createDirectories(root.resolve("kept"));
        Files.createSymbolicLink(root.resolve("l"), target);
        EditApplier.undo(cp, journal, true);
        assertTrue(Files.isSymbolicLink(root.resolve("l")), "a link where the folder was is not Hearth's to remove");
        assertTrue(Files.isDirectory(target), "nor is the folder it leads to");
    }

    @Test
    void aSearchThatDoesNotMatchIsReportedWithTheNearestLines() throws Exception {
        write("m.py", "def f():\n    return 1\n\ndef g():\n    return 2\n");
        var plan = EditPlanner.plan(root, """
                m.py
                <<<<<<< SEARCH
                def g():
                  return 2
                =======
                def g():
                    return 3
                >>>>>>> REPLACE
                """);
        assertEquals(List.of(), plan.files());
        var problem = assertInstanceOf(EditProblem.NotFound.class, plan.problems().getFirst());
        assertEquals("m.py", problem.path());
        assertEquals(1, problem.block());
        assertEquals(4, problem.nearestLine());
        assertEquals("def g():\n    return 2\n", problem.nearest());
        assertTrue(problem.onlyWhitespaceDiffers());
        var followUp = plan.followUp();
        assertTrue(followUp.contains("`m.py`") && followUp.contains("    return 2") && followUp.contains("exactly"), followUp);
    }

    @Test
    void aDeletionDiffRemovesTheFileAndUndoRestoresIt() throws Exception {
        write("old.txt", "bye\n");
        var plan = EditPlanner.plan(root, """
                ```diff
                --- a/old.txt
                +++ /dev/null
                @@ -1 +0,0 @@
                -bye
                ```
                """);
        assertEquals(FileChange.Kind.DELETE, plan.files().getFirst().kind());
        var cp = applyAll(plan);
        assertFalse(Files.exists(root.resolve("old.txt")));
        EditApplier.undo(cp, journal, false);
        assertEquals("bye\n", read("old.txt"));
    }

    @Test
    void aCommitOfTheAppliedFilesIsMadeInAGitRepository() throws Exception {
        var git = new GitCommitter();
        try {
            git.isRepository(root);
        } catch (EditException e) {
            org.junit.jupiter.api.Assumptions.abort("git is not installed here: " + e.getMessage());
        }
        run("git", "init", "-q", root.toString());
        run("git", "-C", root.toString(), "config", "user.email", "test@hearth.dev");
        run("git", "-C", root.toString(), "config", "user.name", "Hearth test");
        write("a.txt", "a\n");
        write("staged.txt", "x\n");
        run("git", "-C", root.toString(), "add", "a.txt");
        run("git", "-C", root.toString(), "commit", "-q", "-m", "first");
        run("git", "-C", root.toString(), "add", "staged.txt");
        assertTrue(git.isRepository(root));
        var cp = applyAll(EditPlanner.plan(root, "```a.txt\nA\n```\n\n```b/new.txt\nnew\n```\n"));
        var hash = git.commit(root, cp.files().stream().map(Checkpoint.File::path).toList(), "Hearth: apply edit");
        assertTrue(hash.matches("[0-9a-f]{40}"), hash);
        var shown = run("git", "-C", root.toString(), "show", "--name-only", "--format=%s", "HEAD");
        assertTrue(shown.contains("Hearth: apply edit") && shown.contains("a.txt") && shown.contains("b/new.txt"), shown);
        assertFalse(shown.contains("staged.txt"), "what the user staged stays out of the commit");
        assertFalse(git.isRepository(dir), "the temporary folder around the project is no repository");
    }

    @Test
    void aMissingGitIsAClearFailure() {
        var e = assertThrows(EditException.class, () -> new GitCommitter("/nonexistent/git").isRepository(root));
        assertEquals(EditException.Kind.GIT, e.kind());
        assertTrue(e.getMessage().contains("git was not found"), e.getMessage());
    }

    private static String run(String... command) throws Exception {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
