package dev.hearth.ui.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerLight;
import dev.hearth.inference.project.edit.EditApplier;
import dev.hearth.inference.project.edit.GitCommitter;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.FxTestUiTasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/// The review window's view builds and binds: files listed, a box per hunk, Apply writes, Undo appears. Work runs in
/// the background as in the app, so the view is built before the review has read its files.
@Tag("fx")
@ExtendWith(ApplicationExtension.class)
class ReviewViewTest {
    @TempDir Path dir;
    SqliteSessionLog log;
    Path root;
    final List<String> followUps = new ArrayList<>();

    @Start
    void start(Stage stage) throws IOException {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        root = Files.createDirectories(dir.resolve("project"));
        Files.writeString(root.resolve("a.txt"), "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n");
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));
        var vm = new ReviewViewModel(root, """
                a.txt
                <<<<<<< SEARCH
                two
                =======
                TWO
                >>>>>>> REPLACE
                <<<<<<< SEARCH
                eight
                =======
                EIGHT
                >>>>>>> REPLACE
                <<<<<<< SEARCH
                missing
                =======
                x
                >>>>>>> REPLACE
                """, EditApplier.Origin.NONE, new EditLogJournal(log), new GitCommitter("/nonexistent/git"),
                new FxTestUiTasks(), followUps::add);
        stage.setScene(new Scene(new ReviewView(vm), 1000, 680));
        stage.show();
    }

    @AfterEach
    void close() {
        log.close();
    }

    private static void waitFor(String what, java.util.concurrent.Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
            WaitForAsyncUtils.waitForFxEvents();
        } catch (TimeoutException e) {
            throw new AssertionError("never happened: " + what, e);
        }
    }

    @Test
    void hunksCanBeRejectedThenAppliedAndUndone(FxRobot robot) throws IOException {
        waitFor("the review is read", () -> robot.lookup("#review-accept-1").tryQuery().isPresent());
        ListView<?> files = robot.lookup("#review-files").queryAs(ListView.class);
        assertEquals(1, files.getItems().size());
        CheckBox second = robot.lookup("#review-accept-1").queryAs(CheckBox.class);
        assertTrue(second.isSelected());
        robot.interact(() -> second.setSelected(false));
        assertTrue(robot.lookup("#review-problems").queryAs(javafx.scene.layout.VBox.class).getChildren().size() == 1,
                "the SEARCH block that matches nothing is listed");
        robot.interact(() -> robot.lookup("#review-follow-up").queryButton().fire());
        assertEquals(1, followUps.size());

        robot.interact(() -> robot.lookup("#review-apply").queryButton().fire());
        waitFor("the apply", () -> robot.lookup("#review-undo").queryButton().isVisible());
        assertEquals("one\nTWO\nthree\nfour\nfive\nsix\nseven\neight\nnine\n", Files.readString(root.resolve("a.txt")));
        Button undo = robot.lookup("#review-undo").queryButton();
        assertTrue(undo.isVisible());
        assertTrue(robot.lookup("#review-accept-0").queryAs(CheckBox.class).isDisabled(), "applied hunks are not editable");
        robot.interact(undo::fire);
        waitFor("the undo", () -> !robot.lookup("#review-undo").queryButton().isVisible());
        assertEquals("one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n", Files.readString(root.resolve("a.txt")));
        assertFalse(robot.lookup("#review-undo").queryButton().isVisible());
    }
}
