package dev.hearth.ui.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import javafx.scene.Node;
import javafx.scene.layout.BorderPane;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/// An answer streams into Markdown block by block: finished blocks are rendered once and kept, a blank line inside
/// a code fence does not end a block, and finishing renders the open block without rebuilding the others.
@Tag("fx")
@ExtendWith(ApplicationExtension.class)
class StreamingMarkdownViewTest {

    @Test
    void finishedBlocksAreRenderedOnceAndKeptWhileTheOpenBlockGrows() throws Exception {
        var view = WaitForAsyncUtils.asyncFx(() -> {
            var v = new StreamingMarkdownView();
            v.update("# Title\n\nFirst para");
            return v;
        }).get();
        var children = WaitForAsyncUtils.asyncFx(() -> List.copyOf(view.getChildren())).get();
        assertEquals(2, children.size(), "the heading, then the open block");
        var heading = children.getFirst();
        assertTrue(heading.getStyleClass().contains("chat-heading-1"));
        assertEquals("First para", openText(view));

        WaitForAsyncUtils.asyncFx(() -> view.update("# Title\n\nFirst paragraph.\n\nSecond")).get();
        var after = WaitForAsyncUtils.asyncFx(() -> List.copyOf(view.getChildren())).get();
        assertEquals(3, after.size());
        assertSame(heading, after.getFirst(), "a finished block is not rendered again");
        assertEquals("Second", openText(view));
    }

    @Test
    void aBlankLineInsideACodeFenceDoesNotEndTheBlock() throws Exception {
        var text = "Intro.\n\n```python\nx = 1\n\ny = 2\n";
        var view = WaitForAsyncUtils.asyncFx(() -> {
            var v = new StreamingMarkdownView();
            v.update(text);
            return v;
        }).get();
        assertEquals("```python\nx = 1\n\ny = 2\n", openText(view));

        WaitForAsyncUtils.asyncFx(() -> view.finish(text + "```\n\nDone.")).get();
        var children = WaitForAsyncUtils.asyncFx(() -> List.copyOf(view.getChildren())).get();
        assertEquals(3, children.size(), "paragraph, one code block, paragraph");
        assertTrue(children.get(1) instanceof BorderPane code && code.getStyleClass().contains("chat-code-block"));
        var area = (org.fxmisc.richtext.CodeArea) ((BorderPane) children.get(1)).getCenter();
        assertEquals("x = 1\n\ny = 2", area.getText());
        assertTrue(children.stream().noneMatch(n -> n.getStyleClass().contains("chat-streaming")));
        assertTrue(view.finished());
    }

    private static String openText(StreamingMarkdownView view) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            Node last = view.getChildren().getLast();
            return last instanceof TextFlow flow && flow.getStyleClass().contains("chat-streaming")
                    ? ((Text) flow.getChildren().getFirst()).getText() : "";
        }).get();
    }
}
