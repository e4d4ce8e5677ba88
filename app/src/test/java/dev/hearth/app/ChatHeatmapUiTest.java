package dev.hearth.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.ui.chat.ChatViewModel;
import dev.hearth.ui.chat.MessageItem;
import dev.hearth.ui.engine.ScriptedEngine;
import dev.hearth.ui.inspector.TokenHeatmapView;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.ListCell;
import javafx.stage.Stage;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/// The chat's heatmap answer in the conversation list: as tall as its text, like a Markdown answer, with no scroll
/// box of its own: the first and the last token lie inside the view, and the view's height is the height of its laid
/// out text, after the answer ends, while it streams, and after the window is made narrower (the text rewraps).
/// A scripted engine writes the answer (one character, one token); the view model, view, session log and the app's
/// frame-coalescing `FxUiTasks` are the real ones.
@Tag("fx")
@ExtendWith(ApplicationExtension.class)
class ChatHeatmapUiTest {
    /// 14 paragraphs of about 300 characters: each wraps over several lines at the window's widths here.
    private static final String ANSWER = ("Every token of this answer is coloured by its probability, and a long "
            + "paragraph like this one wraps over several lines in the conversation, so the heatmap must be measured "
            + "at the width the list gives it, not as one long unwrapped line per paragraph, or its last lines are "
            + "cut off or it scrolls inside a box of its own.\n").repeat(14) + "The end.";

    @TempDir
    static Path dir;

    private ScriptedChat chat;
    private ScriptedEngine engine;
    private ChatViewModel vm;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        javafx.application.Application.setUserAgentStylesheet(new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
        chat = ScriptedChat.open(dir, stage, 1300, 640);
        engine = chat.engine();
        vm = chat.vm();
        vm.heatmapProperty().set(true);
    }

    @AfterEach
    void close() {
        chat.close();
    }

    @Test
    void aLongHeatmapAnswerIsAsTallAsItsTextAndRewrapsWhenTheListNarrows(FxRobot robot) throws Exception {
        chat.waitForModel();
        send(robot);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.stateProperty().get() == ChatViewModel.State.IDLE
                && vm.messages().size() == 2 && vm.messages().getLast().state() == MessageItem.State.DONE);
        WaitForAsyncUtils.waitForFxEvents();
        var answer = vm.messages().getLast();
        assertEquals(ANSWER.length(), answer.tokens().size());

        double wide = fx(() -> shownWhole(answer, "after the answer ended"));
        assertTrue(wide > 300, "the answer is many lines tall: " + wide);

        var list = stage.getScene().lookup("#chat-messages");
        double before = list.getLayoutBounds().getWidth();
        robot.interact(() -> stage.setWidth(stage.getWidth() - 300));
        WaitForAsyncUtils.waitForFxEvents();
        double narrow = fx(() -> shownWhole(answer, "after the window was made narrower"));
        double after = list.getLayoutBounds().getWidth();
        assertTrue(after < before - 150, "the conversation is narrower: " + before + " → " + after);
        assertTrue(narrow > wide + 100, "the text rewraps to more lines and the view grows with it: " + wide + " → " + narrow);
    }

    @Test
    void aStreamingHeatmapAnswerIsAsTallAsItsTextAsItGrows(FxRobot robot) throws Exception {
        chat.waitForModel();
        engine.nanosPerToken = 1_000_000; // 1,000 tokens/s
        send(robot);
        int checked = 0;
        for (int shown = 600; shown < ANSWER.length() - 600; shown += 900) {
            int atLeast = shown;
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.messages().size() == 2
                    && vm.messages().getLast().tokens().size() >= atLeast);
            // The tokens applied so far are styled and laid out as a frame does (one pass, no second frame), then measured.
            var result = fx(() -> {
                var answer = vm.messages().getLast();
                if (answer.state() != MessageItem.State.STREAMING) return "ended";
                stage.getScene().getRoot().applyCss();
                stage.getScene().getRoot().layout();
                shownWhole(answer, "while streaming, " + answer.tokens().size() + " tokens");
                assertTrue(heatmapOf(answer) != null, "the list stays at the answer as it grows");
                return "checked";
            });
            if (result.equals("checked")) checked++;
        }
        assertTrue(checked >= 2, "checked while streaming: " + checked);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.stateProperty().get() == ChatViewModel.State.IDLE);
        WaitForAsyncUtils.waitForFxEvents();
        fx(() -> shownWhole(vm.messages().getLast(), "after the answer ended"));
    }

    /// Asserts that the answer's heatmap shows its whole text with no room to scroll and no blank space, and returns
    /// its height. FX thread.
    private double shownWhole(MessageItem answer, String when) {
        var view = heatmapOf(answer);
        assertTrue(view != null, "the answer's heatmap is in a visible cell " + when);
        assertEquals(answer.tokens().size(), view.getTokens().size(), when);
        var area = (StyleClassedTextArea) view.lookup(".token-heatmap-text");
        var box = view.localToScreen(view.getLayoutBounds());
        var first = area.getCharacterBoundsOnScreen(0, 1);
        var last = area.getCharacterBoundsOnScreen(area.getLength() - 1, area.getLength());
        assertTrue(first.isPresent(), "the first token is laid out " + when);
        assertTrue(last.isPresent(), "the last token is laid out " + when);
        assertEquals(0, area.getEstimatedScrollY(), 0.5, "the heatmap is not scrolled " + when);
        // A character's bounds are its highlight's outline, a pixel or two larger than the line.
        var tokens = first.get().getMinY() + " … " + last.get().getMaxY() + " in " + box.getMinY() + " … " + box.getMaxY();
        assertTrue(first.get().getMinY() >= box.getMinY() - 2, "the first token lies inside the view " + when + ": " + tokens);
        assertTrue(last.get().getMaxY() <= box.getMaxY() + 2, "the last token lies inside the view " + when + ": " + tokens);
        // The text as laid out: from the top of the first paragraph to the bottom of the last.
        var top = area.getParagraphBoundsOnScreen(0).orElseThrow();
        var bottom = area.getParagraphBoundsOnScreen(area.getParagraphs().size() - 1).orElseThrow();
        var insets = area.getInsets();
        double textHeight = bottom.getMaxY() - top.getMinY();
        double inner = view.getHeight() - insets.getTop() - insets.getBottom();
        assertEquals(textHeight, inner, 2, String.format(Locale.ROOT, "the heatmap is as tall as its text %s (%.1f … %.1f in %s)",
                when, top.getMinY(), bottom.getMaxY(), tokens));
        return view.getHeight();
    }

    /// The heatmap in the visible cell that shows `item`, if any.
    private @Nullable TokenHeatmapView heatmapOf(MessageItem item) {
        for (var node : stage.getScene().getRoot().lookupAll("#chat-messages .chat-message-cell")) {
            if (node instanceof ListCell<?> c && c.getItem() == item && c.isVisible() && c.getParent() != null
                    && c.getParent().isVisible() && c.getGraphic() != null && showsOnScreen(c)) {
                return (TokenHeatmapView) c.lookup(".chat-heatmap");
            }
        }
        return null;
    }

    private static boolean showsOnScreen(Node cell) {
        var list = cell.getScene().lookup("#chat-messages");
        var bounds = cell.localToScene(cell.getBoundsInLocal());
        return bounds.intersects(list.localToScene(list.getBoundsInLocal()));
    }

    private void send(FxRobot robot) {
        engine.answers.add(ANSWER);
        robot.interact(() -> {
            vm.draftProperty().set("Write a long answer");
            vm.send();
        });
    }

    private static <T> T fx(Callable<T> work) throws Exception {
        return WaitForAsyncUtils.asyncFx(work).get(30, TimeUnit.SECONDS);
    }
}
