package dev.hearth.ui.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.text.Text;
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
