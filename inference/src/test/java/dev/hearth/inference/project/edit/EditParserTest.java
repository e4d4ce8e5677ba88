package dev.hearth.inference.project.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EditParserTest {

    @Test
    void aFencedBlockWhoseInfoStringNamesAPathIsAWholeFile() {
        var r = EditParser.parse("""
                Here it is:

                ```java src/app/Main.java
                class Main {}
                ```
                """);
        assertEquals(List.of(new ProposedEdit.WholeFile("src/app/Main.java", "class Main {}\n", 1)), r.edits());
    }

    @Test
    void aPathInTheFirstLineCommentOrOnTheLineBeforeTheFenceNamesTheFile() {
        var r = EditParser.parse("""
                ```python
                # tools/run.py
                print("hi")
                ```

                web/index.html
                ```html
                <p>hi</p>
                ```

                ```js:web/app.js
                go();
                ```
                """);
        assertEquals(List.of(
                new ProposedEdit.WholeFile("tools/run.py", "print(\"hi\")\n", 1),
                new ProposedEdit.WholeFile("web/index.html", "<p>hi</p>\n", 2),
                new ProposedEdit.WholeFile("web/app.js", "go();\n", 3)), r.edits());
    }

    @Test
    void codeThatNamesNoFileIsNotAnEdit() {
        var r = EditParser.parse("""
                Try this:

                ```java
                int x = 1;
                ```

                ```bash
                #!/bin/bash
                echo hi
                ```
                """);
        assertTrue(r.isEmpty(), r.toString());
        assertFalse(EditParser.containsEdits("Just words, and `code`."));
    }

    @Test
    void searchReplaceBlocksTakeThePathFromTheLineBeforeAndReuseIt() {
        var r = EditParser.parse("""
                src/A.java
                ```java
                <<<<<<< SEARCH
                    int a = 1;
                =======
                    int a = 2;
                >>>>>>> REPLACE
                <<<<<<< SEARCH
                    int b = 1;
                =======
                >>>>>>> REPLACE
                ```

                lib/b.py
                <<<<<<< SEARCH
                =======
                x = 1
                >>>>>>> REPLACE
                """);
        assertEquals(List.of(
                new ProposedEdit.SearchReplace("src/A.java", "    int a = 1;\n", "    int a = 2;\n", 1),
                new ProposedEdit.SearchReplace("src/A.java", "    int b = 1;\n", "", 2),
                new ProposedEdit.SearchReplace("lib/b.py", "", "x = 1\n", 3)), r.edits());
    }

    @Test
    void aSearchReplaceBlockWithThePathInsideTheFenceIsRead() {
        var r = EditParser.parse("""
                ```
                README.md
                <<<<<<< SEARCH
                old
                =======
                new
                >>>>>>> REPLACE
                ```
                """);
        assertEquals(List.of(new ProposedEdit.SearchReplace("README.md", "old\n", "new\n", 1)), r.edits());
    }

    @Test
    void anIncompleteSearchBlockIsReportedNotGuessed() {
        var r = EditParser.parse("""
                a.txt
                <<<<<<< SEARCH
                old
                =======
                new
                """);
        assertTrue(r.edits().isEmpty());
        assertEquals(1, r.problems().size());
        assertTrue(r.problems().getFirst().contains("not complete"), r.problems().toString());
    }

    @Test
    void aUnifiedDiffWithSeveralFilesAndHunksIsRead() {
        var r = EditParser.parse("""
                ```diff
                --- a/src/A.java
                +++ b/src/A.java
                @@ -1,3 +1,3 @@
                 one
                -two
                +TWO
                 three
                @@ -10,2 +10,3 @@
                 ten
                +ten and a half
                 eleven
                --- /dev/null
                +++ b/notes/new.txt
                @@ -0,0 +1,2 @@
                +hello
                +world
                ```
                """);
        assertEquals(2, r.edits().size(), r.toString());
        var a = assertInstanceOf(ProposedEdit.UnifiedDiff.class, r.edits().get(0));
        assertEquals("src/A.java", a.path());
        assertEquals(2, a.hunks().size());
        assertEquals(List.of("one", "two", "three"), a.hunks().get(0).oldLines());
        assertEquals(List.of("one", "TWO", "three"), a.hunks().get(0).newLines());
        assertEquals(10, a.hunks().get(1).oldStart());
        var created = assertInstanceOf(ProposedEdit.UnifiedDiff.class, r.edits().get(1));
        assertTrue(created.created());
        assertEquals("notes/new.txt", created.path());
        assertEquals(List.of("hello", "world"), created.hunks().getFirst().newLines());
    }

    @Test
    void aDiffWithoutLineNumbersIsReadLeniently() {
        var r = EditParser.parse("""
                ```diff
                --- x.txt
                +++ x.txt
                @@ @@
                 one
                -two
                +2
                ```
                """);
        var d = assertInstanceOf(ProposedEdit.UnifiedDiff.class, r.edits().getFirst());
        assertNull(d.hunks().getFirst().oldStart());
        assertEquals(List.of("one", "two"), d.hunks().getFirst().oldLines());
        assertEquals(List.of("one", "2"), d.hunks().getFirst().newLines());
    }

    @Test
    void pathsAreRecognisedByShapeNotByLanguageName() {
        assertTrue(EditParser.looksLikePath("src/Main.java"));
        assertTrue(EditParser.looksLikePath("Makefile.am"));
        assertTrue(EditParser.looksLikePath("docs/Makefile"));
        assertTrue(EditParser.looksLikePath("../escape.txt"), "unsafe paths are read, then refused with a reason");
        assertFalse(EditParser.looksLikePath("java"));
        assertFalse(EditParser.looksLikePath("1.2"));
        assertTrue(EditParser.looksLikePath(".gitignore"));
        assertFalse(EditParser.looksLikePath("..."));
        assertFalse(EditParser.looksLikePath("https://example.com/a.js"));
        assertFalse(EditParser.looksLikePath("Here is the file:"));
    }
}
