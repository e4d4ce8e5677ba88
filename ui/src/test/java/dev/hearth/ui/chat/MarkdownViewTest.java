package dev.hearth.ui.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.layout.GridPane;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;
import javafx.scene.text.TextFlow;
import org.fxmisc.richtext.CodeArea;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/// A finished answer's Markdown becomes headings, styled text, lists and read-only highlighted code blocks.
@Tag("fx")
@ExtendWith(ApplicationExtension.class)
class MarkdownViewTest {

    private static final String ANSWER = """
            # Title

            Some **bold**, *italic* and `inline code`.

            - first
            - second

            ```java
            // a comment
            public int answer() { return 42; }
            ```
            """;

    @Test
    void markdownBecomesHeadingsStyledTextListsAndHighlightedCode(FxRobot robot) throws Exception {
        var view = org.testfx.util.WaitForAsyncUtils.asyncFx(() -> new MarkdownView(MarkdownView.parse(ANSWER))).get();
        var texts = all(view, Text.class);
        assertTrue(texts.stream().anyMatch(t -> t.getText().equals("Title")
                && t.getParent().getStyleClass().contains("chat-heading-1")));
        assertTrue(texts.stream().anyMatch(t -> t.getText().equals("bold") && t.getStyleClass().contains("chat-bold")));
        assertTrue(texts.stream().anyMatch(t -> t.getText().equals("italic") && t.getStyleClass().contains("chat-italic")));
        assertTrue(texts.stream().anyMatch(t -> t.getText().equals("inline code")
                && t.getStyleClass().contains("chat-inline-code")));
        assertTrue(texts.stream().anyMatch(t -> t.getText().equals("second")));

        var code = all(view, CodeArea.class);
        assertEquals(1, code.size());
        var area = code.getFirst();
        assertEquals("// a comment\npublic int answer() { return 42; }", area.getText());
        assertTrue(!area.isEditable());
        int publicAt = area.getText().indexOf("public");
        assertEquals(List.of("code-keyword"), List.copyOf(area.getStyleOfChar(publicAt + 1)));
        assertEquals(List.of("code-comment"), List.copyOf(area.getStyleOfChar(3)));
        assertEquals(List.of("code-number"), List.copyOf(area.getStyleOfChar(area.getText().indexOf("42"))));
        assertTrue(all(view, Button.class).stream().anyMatch(b -> "Copy".equals(b.getText())));
    }

    @Test
    void aGithubTableBecomesAGridWithItsHeaderAlignmentAndACopyOfItsMarkdown(FxRobot robot) throws Exception {
        var markdown = """
                Models:

                | Model | Size | Speed |
                |:------|-----:|:-----:|
                | tiny  | 4 MB | ~~slow~~ fast |
                | big   | 7 GB | see https://example.org |
                """;
        var view = org.testfx.util.WaitForAsyncUtils.asyncFx(() -> new MarkdownView(MarkdownView.parse(markdown))).get();
        var grids = all(view, GridPane.class);
        assertEquals(1, grids.size());
        var grid = grids.getFirst();
        assertEquals(9, grid.getChildren().size(), "3 columns × (header + 2 rows)");
        var header = cellAt(grid, 0, 0);
        assertTrue(header.getStyleClass().contains("chat-table-header"));
        assertEquals("Model", textOf(header));
        assertTrue(header.getChildren().stream().allMatch(t -> t.getStyleClass().contains("chat-bold")));
        assertEquals("4 MB", textOf(cellAt(grid, 1, 1)));
        assertEquals(TextAlignment.RIGHT, cellAt(grid, 1, 1).getTextAlignment());
        assertEquals(TextAlignment.CENTER, cellAt(grid, 2, 0).getTextAlignment());
        var speed = cellAt(grid, 2, 1);
        assertTrue(speed.getChildren().stream().anyMatch(t -> ((Text) t).getText().equals("slow")
                && t.getStyleClass().contains("chat-strike")), "~~strikethrough~~");
        assertTrue(cellAt(grid, 2, 2).getChildren().stream().anyMatch(t -> ((Text) t).getText().equals("https://example.org")
                && t.getStyleClass().contains("chat-link")), "a bare URL is a link");

        var block = grid.getParent();
        var copied = (String) block.getProperties().get("markdown");
        assertTrue(copied.startsWith("|Model|Size|Speed|\n|:---|---:|:---:|"), copied);
        assertTrue(copied.contains("|tiny|4 MB|~~slow~~ fast|"), copied);
        assertTrue(all(block, Button.class).stream().anyMatch(b -> "Copy this table".equals(b.getAccessibleText())));
    }

    private static TextFlow cellAt(GridPane grid, int column, int row) {
        return grid.getChildren().stream()
                .filter(n -> GridPane.getColumnIndex(n) == column && GridPane.getRowIndex(n) == row)
                .map(TextFlow.class::cast).findFirst().orElseThrow();
    }

    private static String textOf(TextFlow flow) {
        var sb = new StringBuilder();
        for (var n : flow.getChildren()) sb.append(((Text) n).getText());
        return sb.toString();
    }

    private static <T> List<T> all(Node root, Class<T> type) {
        var found = new ArrayList<T>();
        collect(root, type, found);
        return found;
    }

    private static <T> void collect(Node node, Class<T> type, List<T> found) {
        if (type.isInstance(node)) found.add(type.cast(node));
        if (node instanceof Parent p) for (var child : p.getChildrenUnmodifiable()) collect(child, type, found);
    }
}
