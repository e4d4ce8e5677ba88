package dev.hearth.ui.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerLight;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.FxTestUiTasks;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/// The History section in the real view, headless, on a real session log of two seeded runs of a fixture model:
/// search by a word of an answer, Replay in a fresh real engine, Compare.
@Tag("fx")
@ExtendWith(ApplicationExtension.class)
class HistoryViewTest {
    @TempDir static Path dir;
    static SessionLog log;
    static long first;
    static long second;
    private HistoryView view;

    @BeforeAll
    static void record() {
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));
        var model = RecordedRuns.model("history-view-fixture.gguf", 11);
        first = RecordedRuns.record(log, null, model, "Say some words.", RecordedRuns.sampling(1));
        second = RecordedRuns.record(log, null, model, "Say some words.", RecordedRuns.sampling(2));
    }

    @AfterAll
    static void close() {
        log.close();
    }

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        view = new HistoryView(new HistoryViewModel(log, RecordedRuns::engine, new FxTestUiTasks()));
        stage.setScene(new Scene(view, 1200, 760));
        stage.show();
    }

    @AfterEach
    void hidePopups(FxRobot robot) {
        robot.interact(view::hidePopups);
    }

    private static void waitFor(String what, Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
            WaitForAsyncUtils.waitForFxEvents();
        } catch (TimeoutException e) {
            throw new AssertionError("never happened: " + what, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static TableView<HistoryRow> table(FxRobot robot) {
        return robot.lookup("#history-table").queryAs(TableView.class);
    }

    private static void selectRows(FxRobot robot, long... ids) {
        var table = table(robot);
        waitFor("the generations in the table", () -> table.getItems().size() >= ids.length);
        robot.interact(() -> {
            table.getSelectionModel().clearSelection();
            for (long id : ids) {
                for (int i = 0; i < table.getItems().size(); i++) {
                    if (table.getItems().get(i).generation().id() == id) table.getSelectionModel().select(i);
                }
            }
        });
    }

    @Test
    void searchFindsAGenerationByAWordFromItsAnswer(FxRobot robot) {
        var table = table(robot);
        waitFor("the table", () -> table.getItems().size() == 2);
        var answer = log.generation(first).orElseThrow().output();
        var word = answer.strip().split(" ")[1];

        robot.clickOn("#history-search").write(word);
        robot.clickOn("#history-search-button");
        waitFor("the highlighted match", () -> robot.lookup(".history-match").queryAllAs(Text.class).stream()
                .anyMatch(t -> t.getText().equals(word)));
        assertTrue(table.getItems().stream().anyMatch(r -> r.generation().id() == first));
        assertTrue(table.getItems().stream().allMatch(r -> r.generation().output().contains(word)));
    }

    @Test
    void replayOfASeededRunReportsIdentical(FxRobot robot) {
        selectRows(robot, first);
        waitFor("the detail", () -> !robot.lookup("#history-replay").queryButton().isDisabled());
        robot.clickOn("#history-replay");
        var message = robot.lookup("#history-replay-message").queryAs(Label.class);
        waitFor("the replay's verdict", () -> message.getText().startsWith("identical") || message.getText().startsWith("differs")
                || message.getPseudoClassStates().stream().anyMatch(p -> p.getPseudoClassName().equals("failed")));
        int n = log.tokens(first).size();
        assertEquals("identical: " + n + " of " + n + " tokens", message.getText());
        assertFalse(robot.lookup("#history-replay-cancel").queryButton().isVisible());
    }

    @Test
    void compareShowsTheWordDiffOfTwoAnswers(FxRobot robot) {
        selectRows(robot, first, second);
        robot.clickOn("#history-compare");
        waitFor("the diff", () -> !robot.lookup(".diff-insert").queryAll().isEmpty());
        var tabs = robot.lookup(".tab-pane").queryAs(TabPane.class);
        assertEquals("Compare", tabs.getSelectionModel().getSelectedItem().getText());
        var inserted = new StringBuilder();
        robot.lookup(".diff-insert").queryAllAs(Text.class).forEach(t -> inserted.append(t.getText()));
        var deleted = new StringBuilder();
        robot.lookup(".diff-delete").queryAllAs(Text.class).forEach(t -> deleted.append(t.getText()));
        assertFalse(inserted.isEmpty() && deleted.isEmpty());
        var secondAnswer = log.generation(second).orElseThrow().output();
        for (var t : robot.lookup(".diff-insert").queryAllAs(Text.class)) {
            assertTrue(secondAnswer.contains(t.getText()), t.getText());
        }
        assertTrue(robot.lookup("seed").tryQuery().isPresent(), "the parameter table lists the seed");
    }
}
