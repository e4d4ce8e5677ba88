package dev.hearth.inference.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.project.ProjectFile.Exclusion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// A real folder with nested ignore files, binaries, a large file and symbolic links in and out.
class ProjectFilesTest {
    @TempDir Path dir;
    @TempDir Path outside;
    Path root;

    static void write(Path root, String rel, String text) throws IOException {
        var p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @BeforeEach
    void project() throws IOException {
        root = dir.resolve("proj");
        write(root, ".gitignore", "*.log\nbuild/\n/only-root.txt\n!keep.log\ndocs/**/draft-*.md\n");
        write(root, "a.log", "x");
        write(root, "keep.log", "kept by a negation");
        write(root, "only-root.txt", "anchored: ignored here");
        write(root, "sub/only-root.txt", "anchored: not ignored below");
        write(root, "build/out.txt", "ignored folder");
        write(root, "sub/build/out.txt", "a build/ pattern matches at any depth");
        write(root, "docs/a/b/draft-1.md", "double star");
        write(root, "docs/a/b/final.md", "kept");
        write(root, "sub/.gitignore", "!important.log\nsecret.txt\n");
        write(root, "sub/important.log", "re-included by the nested file");
        write(root, "sub/other.log", "still ignored by the root file");
        write(root, "sub/secret.txt", "ignored by the nested file");
        write(root, "secret.txt", "the nested rule does not reach up");
        write(root, "sub/deeper/.gitignore", "!secret.txt\n");
        write(root, "sub/deeper/secret.txt", "the deepest rule wins");
        write(root, ".ignore", "scratch/\n");
        write(root, "scratch/notes.txt", "ignored by .ignore");
        write(root, ".git/info/exclude", "local-only.txt\n");
        write(root, ".git/config", "[core]");
        write(root, "local-only.txt", "ignored by .git/info/exclude");
        write(root, "src/Main.java", "class Main {}\n");
        Files.write(root.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1});
        Files.write(root.resolve("big.txt"), "y".repeat(2000).getBytes());
        write(outside, "secret.txt", "outside");
        Files.createSymbolicLink(root.resolve("out-link.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("out-dir"), outside);
        Files.createSymbolicLink(root.resolve("in-link.java"), root.resolve("src/Main.java"));
    }

    Map<String, ProjectFile> list() {
        return ProjectFiles.of(root, 1000).list().files().stream()
                .collect(Collectors.toMap(ProjectFile::path, Function.identity()));
    }

    @Test
    void gitignorePatternsNegationsAndAnchoringAreHonoured() {
        var files = list();
        assertFalse(files.containsKey("a.log"));
        assertTrue(files.containsKey("keep.log"));
        assertFalse(files.containsKey("only-root.txt"));
        assertTrue(files.containsKey("sub/only-root.txt"));
        assertFalse(files.containsKey("build/out.txt"));
        assertFalse(files.containsKey("sub/build/out.txt"));
        assertFalse(files.containsKey("docs/a/b/draft-1.md"));
        assertTrue(files.containsKey("docs/a/b/final.md"));
    }

    @Test
    void nestedGitignoresOverrideTheirParentsOnlyBelowThemselves() {
        var files = list();
        assertTrue(files.containsKey("sub/important.log"));
        assertFalse(files.containsKey("sub/other.log"));
        assertFalse(files.containsKey("sub/secret.txt"));
        assertTrue(files.containsKey("secret.txt"));
        assertTrue(files.containsKey("sub/deeper/secret.txt"));
    }

    @Test
    void dotIgnoreAndGitInfoExcludeAreHonouredAndGitIsHidden() {
        var files = list();
        assertFalse(files.containsKey("scratch/notes.txt"));
        assertFalse(files.containsKey("local-only.txt"));
        assertTrue(files.keySet().stream().noneMatch(p -> p.startsWith(".git/")), files.keySet().toString());
        assertTrue(files.containsKey(".gitignore"));
    }

    @Test
    void binaryAndLargeFilesAreListedButNotIncludable() {
        var files = list();
        assertEquals(Exclusion.BINARY, files.get("image.png").exclusion());
        assertEquals(Exclusion.TOO_LARGE, files.get("big.txt").exclusion());
        assertEquals(2000, files.get("big.txt").size());
        assertTrue(files.get("src/Main.java").includable());
    }

    @Test
    void linksLeadingOutsideAreNotIncludableAndLinkedFoldersAreNotEntered() {
        var files = list();
        assertEquals(Exclusion.LINK_OUTSIDE, files.get("out-link.txt").exclusion());
        assertEquals(Exclusion.LINK_OUTSIDE, files.get("out-dir").exclusion());
        assertTrue(files.keySet().stream().noneMatch(p -> p.startsWith("out-dir/")));
        assertTrue(files.get("in-link.java").includable(), "a link to a file inside the project can be included");
    }

    @Test
    void aSingleFileIsFoundOnlyWhenTheListingWouldShowIt() {
        var project = ProjectFiles.of(root);
        assertTrue(project.file("sub/important.log").isPresent());
        assertTrue(project.file("./src/Main.java").isPresent());
        assertTrue(project.file("sub/other.log").isEmpty());
        assertTrue(project.file("build/out.txt").isEmpty());
        assertTrue(project.file("../proj/src/Main.java").isEmpty());
        assertTrue(project.file(root.resolve("src/Main.java").toString()).isEmpty());
        assertTrue(project.file(".git/config").isEmpty());
        assertTrue(project.file("out-dir/secret.txt").isEmpty());
        assertEquals(Exclusion.LINK_OUTSIDE, project.file("out-link.txt").orElseThrow().exclusion());
    }

    @Test
    void aMissingFolderIsAClearFailure() {
        var e = assertThrows(ProjectException.class, () -> ProjectFiles.of(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("no such folder"), e.getMessage());
    }
}
