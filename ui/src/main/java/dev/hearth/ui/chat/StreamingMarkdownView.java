package dev.hearth.ui.chat;

import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import org.jspecify.annotations.Nullable;

/// An answer's Markdown while it streams, rendered block by block so a frame never re-renders what is written:
/// text up to the last blank line outside a code fence is parsed once and its blocks appended; only the open
/// block after it is plain text that grows. [#finish] renders that last block too, and the view then shows the
/// whole answer as Markdown without being rebuilt.
///
/// Each completed stretch is parsed on its own, so Markdown that reaches across a blank line (a loose list, a
/// link reference defined further down) can render as separate blocks; a reopened answer is parsed whole
/// ([MarkdownView]). Call everything on the FX thread.
final class StreamingMarkdownView extends VBox {
    private final Text open = new Text();
    private final TextFlow openFlow = new TextFlow(open);
    /// Characters of the answer rendered as blocks.
    private int rendered;
    /// Characters scanned for block ends (whole lines only).
    private int scanned;
    /// Where the last block ended (after a blank line outside a fence), not yet rendered if > `rendered`.
    private int blockEnd;
    /// The open code fence's marker (such as "```"), or null outside a fence.
    private @Nullable String fence;
    private boolean finished;

    StreamingMarkdownView() {
        super(6);
        getStyleClass().add("chat-markdown");
        open.getStyleClass().add("chat-text");
        openFlow.getStyleClass().addAll("chat-paragraph", "chat-streaming");
        getChildren().add(openFlow);
    }

    /// Shows `text`, the answer so far (it only grows while streaming).
    void update(String text) {
        if (finished) return;
        if (text.length() < scanned) { // an answer only grows while it streams; start over if it did not
            getChildren().setAll(openFlow);
            rendered = scanned = blockEnd = 0;
            fence = null;
        }
        int nl;
        while ((nl = text.indexOf('\n', scanned)) >= 0) {
            var line = text.substring(scanned, nl);
            line(line);
            scanned = nl + 1;
            if (fence == null && line.isBlank()) blockEnd = scanned;
        }
        if (blockEnd > rendered) {
            getChildren().addAll(getChildren().size() - 1, MarkdownView.blocks(MarkdownView.parse(text.substring(rendered, blockEnd))));
            rendered = blockEnd;
        }
        open.setText(text.substring(rendered));
    }

    /// Renders the rest of the answer as Markdown; later updates are ignored.
    void finish(String text) {
        if (finished) return;
        update(text);
        finished = true;
        getChildren().remove(openFlow);
        var rest = text.substring(rendered);
        if (!rest.isBlank()) getChildren().addAll(MarkdownView.blocks(MarkdownView.parse(rest)));
        rendered = text.length();
    }

    boolean finished() {
        return finished;
    }

    private void line(String line) {
        var s = line.stripLeading();
        if (line.length() - s.length() > 3) return;
        var current = fence;
        if (current == null) {
            if (s.startsWith("```") || s.startsWith("~~~")) fence = marker(s);
        } else if (s.startsWith(current) && s.substring(marker(s).length()).isBlank()) {
            fence = null;
        }
    }

    private static String marker(String s) {
        char c = s.charAt(0);
        int n = 0;
        while (n < s.length() && s.charAt(n) == c) n++;
        return s.substring(0, n);
    }
}
