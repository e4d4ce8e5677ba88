package dev.hearth.inference.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoMapTest {
    @TempDir Path root;
    ProjectFiles.Listing listing;

    @BeforeEach
    void project() throws Exception {
        Files.createDirectories(root.resolve("src"));
        Files.writeString(root.resolve("src/Alpha.java"), "public class Alpha {\n    public int first(int a) {\n        return a;\n    }\n}\n");
        Files.writeString(root.resolve("src/beta.py"), "def beta_function(x):\n    return x\n");
        Files.writeString(root.resolve("src/gamma.go"), "package g\n\nfunc GammaThing() int {\n\treturn 1\n}\n");
        Files.writeString(root.resolve("README.md"), "# readme\n");
        listing = ProjectFiles.of(root).list();
    }

    @Test
    void aRoomyMapHasTheTreeAndEveryDeclaration() {
        var map = RepoMap.build(listing, Set.of(), Set.of(), 10_000, TokenCount.ESTIMATE);
        assertEquals(4, map.filesShown());
        assertTrue(map.text().contains("src/Alpha.java\n  public class Alpha\n    public int first(int a)\n"), map.text());
        assertTrue(map.text().contains("src/beta.py\n  def beta_function(x)\n"), map.text());
        assertTrue(map.text().contains("README.md\n"));
        assertEquals(TokenCount.ESTIMATE.count(map.text()), map.tokens());
    }

    @Test
    void aTightBudgetKeepsFilesInContextAndMentionedSymbolsFirst() {
        int header = TokenCount.ESTIMATE.count(RepoMap.HEADER);
        int gamma = TokenCount.ESTIMATE.count("src/gamma.go\n  func GammaThing() int\n");
        var map = RepoMap.build(listing, Set.of(), Set.of("GammaThing"), header + gamma + 4, TokenCount.ESTIMATE);
        assertTrue(map.text().contains("func GammaThing() int"), map.text());
        assertFalse(map.text().contains("beta_function"), map.text());
        assertTrue(map.tokens() <= map.budget());
        var inContext = RepoMap.build(listing, Set.of("src/beta.py"), Set.of("GammaThing"), header + gamma, TokenCount.ESTIMATE);
        assertTrue(inContext.text().contains("beta_function"), inContext.text());
        assertTrue(inContext.tokens() <= inContext.budget());
    }

    @Test
    void aBudgetBelowTheHeaderGivesNoMap() {
        var map = RepoMap.build(listing, Set.of(), Set.of(), 3, TokenCount.ESTIMATE);
        assertEquals("", map.text());
        assertEquals(0, map.filesShown());
        assertEquals(4, map.filesTotal());
    }

    @Test
    void symbolsAreTheIdentifiersOfAText() {
        assertEquals(Set.of("Why", "does", "GammaThing", "fail"), RepoMap.symbolsIn("Why does GammaThing() fail? a b"));
    }
}
