package dev.hearth.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerLight;
import dev.hearth.inference.hub.TokenFile;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.FxTestUiTasks;
import dev.hearth.ui.shell.ShellViewModel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
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

@Tag("fx")
@ExtendWith(ApplicationExtension.class)
class SettingsViewTest {
    @TempDir Path dir;
    SqliteSessionLog log;
    BorderPane root;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        root = new BorderPane();
        stage.setScene(new Scene(root, 900, 700));
        stage.show();
    }

    @AfterEach
    void close() {
        if (log != null) log.close();
    }

    private SettingsViewModel show(FxRobot robot) {
        var store = SettingsStore.open(dir.resolve("settings.json"));
        var vm = new SettingsViewModel(store, new ShellViewModel(store), new TokenFile(dir.resolve("hub-token")), log,
                log.file(), _ -> {
                    throw new IllegalStateException("not tested here");
                }, new FxTestUiTasks());
        robot.interact(() -> {
            root.setCenter(new SettingsView(vm));
            vm.open();
        });
        return vm;
    }

    @Test
    void aSettingsChangePersistsAcrossARestart(FxRobot robot) throws Exception {
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));
        show(robot);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> !robot.lookup("#settings-log-size").queryAs(Label.class).getText().isEmpty());

        robot.doubleClickOn("#settings-temperature").eraseText(6).write("0.25");
        robot.clickOn("#settings-save-defaults");
        assertEquals("Saved. New chats and loads use these defaults.",
                robot.lookup("#settings-defaults-message").queryAs(Label.class).getText());
        robot.interact(() -> robot.lookup("#settings-theme").queryAs(ChoiceBox.class).getSelectionModel().select(Theme.DARK));

        // A restart: a new store reads the same file, a new view shows what it read.
        var reopened = SettingsStore.open(dir.resolve("settings.json"));
        assertEquals(0.25, reopened.preferences().sampling().temperature());
        assertEquals(Theme.DARK, reopened.current().theme());
        show(robot);
        assertEquals("0.25", robot.lookup("#settings-temperature").queryAs(TextField.class).getText());
        assertEquals(Theme.DARK, robot.lookup("#settings-theme").queryAs(ChoiceBox.class).getValue());
        assertTrue(robot.lookup("#settings-log-size").queryAs(Label.class).getText().contains("B"));
    }

    @Test
    void theEnginesGroupListsTheBuiltInEngineWhoseRemoveIsDisabled(FxRobot robot) throws Exception {
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));
        var store = SettingsStore.open(dir.resolve("settings.json"));
        var settings = new SettingsViewModel(store, new ShellViewModel(store), new TokenFile(dir.resolve("hub-token")), log,
                log.file(), _ -> {
                    throw new IllegalStateException("not tested here");
                }, new FxTestUiTasks());
        var engines = new EnginesViewModel(new dev.hearth.inference.pack.EngineCatalog(java.util.List.of(),
                dir.resolve("engines")), _ -> {
                    throw new IllegalStateException("no worker in this view test");
                }, dir.resolve("cache"), new FxTestUiTasks());
        robot.interact(() -> {
            root.setCenter(new SettingsView(settings, null, engines));
            engines.refresh();
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> engines.stateProperty().get() == EnginesViewModel.State.IDLE);
        @SuppressWarnings("unchecked")
        var list = (javafx.scene.control.ListView<EnginesViewModel.EngineRow>) robot.lookup("#settings-engines").query();
        assertEquals("b4916", list.getItems().getFirst().name());
        assertEquals("Unavailable: no worker in this view test", list.getItems().getFirst().status());
        robot.interact(() -> list.getSelectionModel().select(0));
        assertTrue(robot.lookup("#settings-engine-remove").queryButton().isDisabled(), "built-in engines stay");
    }
}
