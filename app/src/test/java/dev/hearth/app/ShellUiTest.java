package dev.hearth.app;

import dev.hearth.inference.Engines;
import dev.hearth.inference.NativeLibrary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.Engines;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.ui.Units;
import dev.hearth.ui.settings.SettingsStore;
import dev.hearth.ui.shell.Section;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/// Starts the real window content headless and walks the navigation.
@Tag("fx")
@ExtendWith(ApplicationExtension.class)
class ShellUiTest {
    @TempDir
    static Path home;

    private HearthApplication.Wiring wiring;

    @Start
    void start(Stage stage) throws Exception {
        var folders = DataFolders.resolve(Map.of("HEARTH_HOME", home.toString()), "Linux", home).create();
        if (!Files.exists(folders.models().resolve("tiny.gguf"))) {
            FixtureModel.builder().name("Tiny fixture").write(folders.models().resolve("tiny.gguf"));
        }
        wiring = new HearthApplication.Wiring(folders, SettingsStore.open(folders.settings()),
                new ModelLibrary(folders.models(), List.of(), List.of()), () -> new dev.hearth.inference.hub.HubConfig(java.net.URI.create("http://127.0.0.1:9"), null),
                new FxUiTasks(), dev.hearth.ui.engine.Machine::withoutEngine,
                _ -> EngineWorkers.start(NativeLibrary.bundled(folders.cache())),
                Engines.builtinChatFormatter(NativeLibrary.bundled(folders.cache())), _ -> {});
        stage.setScene(new Scene(wiring.shellView(), 1000, 700));
        stage.setTitle("Hearth");
        stage.show();
    }

    @org.junit.jupiter.api.AfterEach
    void closeLog() {
        wiring.close();
    }

    @Test
    void theHistorySectionShowsTheSessionLogsTable(FxRobot robot) throws Exception {
        robot.clickOn("#nav-history");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> robot.lookup("No generations yet: what Hearth runs is listed here.").tryQuery().isPresent());
        assertTrue(robot.lookup("#history-table").tryQuery().isPresent());
    }

    @Test
    void everySectionCanBeOpenedFromTheNavigation(FxRobot robot) {
        for (var section : Section.values()) {
            robot.clickOn("#nav-" + section.name().toLowerCase(java.util.Locale.ROOT));
            assertEquals(section, wiring.shell().sectionProperty().get());
        }
    }

    @Test
    void theModelsSectionListsAFixtureModelWithItsArchitectureAndSize(FxRobot robot) throws Exception {
        robot.clickOn("#nav-models");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#models-table").queryTableView().getItems().isEmpty());
        var cells = robot.lookup("#models-table .table-row-cell").lookup(".table-cell").queryAllAs(TableCell.class)
                .stream().map(TableCell::getText).filter(java.util.Objects::nonNull).toList();
        var size = Units.bytes(Files.size(home.resolve("models/tiny.gguf")));
        assertTrue(cells.containsAll(List.of("tiny.gguf", "llama", size)), cells.toString());

        robot.clickOn("tiny.gguf");
        assertEquals("Tiny fixture", robot.lookup("#model-details-title").queryAs(Label.class).getText());
    }

    @Test
    void openingAModelFileShowsItInTheModelsSection(FxRobot robot) throws Exception {
        var outside = FixtureModel.builder().name("Double-clicked").write(Files.createTempDirectory(home, "elsewhere").resolve("picked.gguf"));
        robot.clickOn("#nav-chat");
        robot.interact(() -> wiring.openModel(outside));
        assertEquals(Section.MODELS, wiring.shell().sectionProperty().get());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> robot.lookup("#model-details-title").tryQueryAs(Label.class).map(l -> "Double-clicked".equals(l.getText())).orElse(false));
        assertEquals(outside, wiring.models().selectedProperty().get().path());
    }

    @Test
    void aSectionNotBuiltYetSaysWhatItWillHoldAndShowsNoData(FxRobot robot) {
        robot.clickOn("#nav-project");
        var texts = robot.lookup(".pending-section .label").queryAllAs(Label.class).stream().map(Label::getText).toList();
        assertTrue(texts.contains(Section.PROJECT.purpose()), texts.toString());
        assertTrue(texts.contains("Not available in this version of Hearth yet."), texts.toString());
    }

    @Test
    void theCompareSectionOffersToAddVariantsAndRun(FxRobot robot) {
        robot.clickOn("#nav-compare");
        assertTrue(robot.lookup(".compare").tryQuery().isPresent());
        assertTrue(robot.lookup("Add variant…").tryQuery().isPresent());
        assertTrue(robot.lookup("Run").tryQuery().isPresent());
    }
}
