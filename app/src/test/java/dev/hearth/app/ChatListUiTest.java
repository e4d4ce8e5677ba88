package dev.hearth.app;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.ui.chat.ChatViewModel;
import dev.hearth.ui.chat.MessageItem;
import dev.hearth.ui.engine.ScriptedEngine;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
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

/// The conversation list when messages are sent: it follows to the new answer and keeps the end of a streaming one in
/// view, and an answer already shown is not rendered again. A scripted engine writes the answers; the
/// view model, view, session log and `FxUiTasks` are the real ones.
@Tag("fx")
@ExtendWith(ApplicationExtension.class)
class ChatListUiTest {
    @TempDir
    static Path dir;

    private ScriptedChat chat;
    private ScriptedEngine engine;
    private ChatViewModel vm;

    @Start
    void start(Stage stage) throws Exception {
        chat = ScriptedChat.open(dir, stage, 900, 600);
        engine = chat.engine();
        vm = chat.vm();
    }

    @AfterEach
    void close() {
        chat.close();
    }

    @Test
    void sendingFollowsToTheNewAnswerAndLeavesTheShownAnswerAsItWas(FxRobot robot) throws Exception {
        chat.waitForModel();
        @SuppressWarnings("unchecked")
        ListView<MessageItem> list = robot.lookup("#chat-messages").queryAs(ListView.class);
        var longAnswer = "A paragraph of an answer, with `code` and **bold** words in it.\n\n".repeat(12);
        send(robot, longAnswer, 2);
        send(robot, "A short answer.", 4);
        var shownAnswer = vm.messages().get(3);
        var cell = cellOf(robot, shownAnswer);
        assertTrue(cell != null, "the second answer is shown after it was sent");
        var body = bodyOf(cell);

        send(robot, "The third answer.", 6);
        assertTrue(cellOf(robot, vm.messages().get(5)) != null, "the list follows to the newest answer");
        var after = cellOf(robot, shownAnswer);
        assertTrue(after != null, "the second answer is still in view");
        // the list may give it another cell as it scrolls to the new answer's end; its rendered body moves along
        assertSame(body, bodyOf(after), "an answer still in view is not rendered again");
    }

    /// The message's body in a cell: what follows the header (who wrote it, its actions).
    private static Node bodyOf(ListCell<?> cell) {
        return ((javafx.scene.layout.VBox) cell.getGraphic()).getChildren().get(1);
    }

    @Test
    void aStreamingAnswerStaysInViewUntilTheUserScrollsAwayAndIsFollowedAgainFromTheEnd(FxRobot robot)
            throws Exception {
        chat.waitForModel();
        engine.nanosPerToken = 1_000_000; // one character a token: 1,000 characters a second
        engine.answers.add("A line of a long answer that keeps on coming.\n\n".repeat(120));
        robot.interact(() -> {
            vm.draftProperty().set("Write a long answer");
            vm.send();
        });
        waitForTokens(500);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(endInView(robot), "the end of the answer being written is in view");
        waitForTokens(1_200);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(endInView(robot), "and stays in view as the answer grows");

        Node flow = robot.lookup("#chat-messages .virtual-flow").query();
        robot.interact(() -> javafx.event.Event.fireEvent(flow, scroll(flow, 400)));
        int tokens = vm.messages().getLast().tokens().size();
        waitForTokens(tokens + 600);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(!endInView(robot), "scrolled up, the user reads on while the answer grows below");

        robot.interact(() -> javafx.event.Event.fireEvent(flow, scroll(flow, -100_000)));
        tokens = vm.messages().getLast().tokens().size();
        waitForTokens(tokens + 600);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(endInView(robot), "scrolled back to the end, the list follows the answer again");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.stateProperty().get() == ChatViewModel.State.IDLE);
    }

    private void waitForTokens(int n) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> vm.messages().size() == 2 && vm.messages().getLast().tokens().size() >= n);
    }

    /// A mouse wheel turn over `node`, moving the view `deltaY` pixels up (positive) or down (negative).
    private static javafx.scene.input.ScrollEvent scroll(Node node, double deltaY) {
        var center = node.localToScreen(node.getBoundsInLocal());
        return new javafx.scene.input.ScrollEvent(javafx.scene.input.ScrollEvent.SCROLL, 100, 100,
                center.getCenterX(), center.getCenterY(), false, false, false, false, false, false, 0, deltaY, 0,
                deltaY, javafx.scene.input.ScrollEvent.HorizontalTextScrollUnits.NONE, 0,
                javafx.scene.input.ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0, null);
    }

    /// Whether the last message's cell is on screen with its bottom inside the list's view.
    private boolean endInView(FxRobot robot) {
        var cell = cellOf(robot, vm.messages().getLast());
        if (cell == null) return false;
        var list = robot.lookup("#chat-messages").query();
        var cellBounds = cell.localToScene(cell.getBoundsInLocal());
        var listBounds = list.localToScene(list.getBoundsInLocal());
        return cellBounds.getMaxY() <= listBounds.getMaxY() + 2;
    }

    private void send(FxRobot robot, String answer, int messages) throws Exception {
        engine.answers.add(answer);
        robot.interact(() -> {
            vm.draftProperty().set("Question " + messages / 2);
            vm.send();
        });
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.stateProperty().get() == ChatViewModel.State.IDLE
                && vm.messages().size() == messages && vm.messages().getLast().state() == MessageItem.State.DONE);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /// The visible cell that shows `item` in the list, if any.
    private static @Nullable ListCell<?> cellOf(FxRobot robot, MessageItem item) {
        for (var c : robot.lookup("#chat-messages .chat-message-cell").queryAllAs(ListCell.class)) {
            if (c.getItem() == item && c.isVisible() && c.getParent() != null && c.getParent().isVisible()
                    && c.getGraphic() != null && showsOnScreen(c)) return c;
        }
        return null;
    }

    private static boolean showsOnScreen(Node cell) {
        var list = cell.getScene().lookup("#chat-messages");
        var bounds = cell.localToScene(cell.getBoundsInLocal());
        return bounds.intersects(list.localToScene(list.getBoundsInLocal()));
    }
}
