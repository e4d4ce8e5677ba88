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
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        var folders = DataFolders.resolve(Map.of("HEARTH_HOME", home.toString()), "Linux", home).create();
        if (!Files.exists(folders.models().resolve("tiny.gguf"))) {
            FixtureModel.builder().name("Tiny fixture").write(folders.models().resolve("tiny.gguf"));
        }
        wiring = wiring(folders);
        this.stage = stage;
        stage.setScene(new Scene(wiring.shellView(), 1000, 700));
        stage.setTitle("Hearth");
        stage.show();
    }

    private static HearthApplication.Wiring wiring(DataFolders folders) throws Exception {
        return new HearthApplication.Wiring(folders, SettingsStore.open(folders.settings()),
                new ModelLibrary(folders.models(), List.of(), List.of()), () -> new dev.hearth.inference.hub.HubConfig(java.net.URI.create("http://127.0.0.1:9"), null),
                new FxUiTasks(), dev.hearth.ui.engine.Machine::withoutEngine,
                _ -> EngineWorkers.start(NativeLibrary.bundled(folders.cache())),
                Engines.builtinChatFormatter(NativeLibrary.bundled(folders.cache())), _ -> {});
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
    void theProjectSectionTreeChecksAFileIntoTheContextAsAChip(FxRobot robot) throws Exception {
        var folder = Files.createDirectories(home.resolve("a-project"));
        Files.writeString(folder.resolve("notes.txt"), "some notes");
        Files.writeString(folder.resolve(".gitignore"), "*.log\n");
        Files.writeString(folder.resolve("debug.log"), "ignored");
        // through this window's shell: a click on "#nav-project" may land in an earlier test's window still showing
        robot.interact(() -> wiring.shell().sectionProperty().set(Section.PROJECT));
        robot.interact(() -> wiring.project().open(folder));
        // earlier tests' windows may still hold a Project section: take the tree that shows this folder
        var found = new java.util.concurrent.atomic.AtomicReference<org.controlsfx.control.CheckTreeView<?>>();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
            robot.lookup("#project-tree").queryAll().stream()
                    .map(n -> (org.controlsfx.control.CheckTreeView<?>) n)
                    .filter(t -> t.getRoot() != null && t.getRoot().getChildren().stream().anyMatch(c -> "notes.txt".equals(c.getValue())))
                    .findFirst().ifPresent(found::set);
            return found.get() != null;
        });
        var tree = found.get();
        var names = tree.getRoot().getChildren().stream().map(c -> String.valueOf(c.getValue())).toList();
        assertTrue(names.contains(".gitignore"), names.toString());
        assertTrue(!names.contains("debug.log"), "ignored files are not in the tree: " + names);
        var item = (javafx.scene.control.CheckBoxTreeItem<?>) tree.getRoot().getChildren().stream()
                .filter(c -> "notes.txt".equals(c.getValue())).findFirst().orElseThrow();
        // what a click on the row's checkbox does (the cell's checkbox is bound to the item)
        robot.interact(() -> item.setSelected(true));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !wiring.project().chips().isEmpty());
        assertEquals("notes.txt", wiring.project().chips().getFirst().path());
        assertTrue(robot.lookup("#project-chips .label").queryAllAs(Label.class).stream()
                .anyMatch(l -> l.getText().startsWith("notes.txt")));
        robot.clickOn(robot.lookup("#project-chips .button").queryAs(javafx.scene.control.Button.class));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wiring.project().chips().isEmpty());
        // the tree follows the chips (read from the tree as it is now: a refresh of the listing may rebuild its items)
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> tree.getRoot().getChildren().stream()
                .filter(c -> "notes.txt".equals(c.getValue()))
                .noneMatch(c -> ((javafx.scene.control.CheckBoxTreeItem<?>) c).isSelected()));
    }

    @Test
    void aProjectOpenedBeforeItsSectionIsFirstShownIsShownWhole(FxRobot robot) throws Exception {
        var folder = Files.createDirectories(home.resolve("b-project"));
        Files.writeString(folder.resolve("readme.md"), "read me");
        robot.interact(() -> wiring.project().open(folder));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wiring.project().files().size() == 1);
        robot.interact(() -> wiring.shell().sectionProperty().set(Section.PROJECT));
        WaitForAsyncUtils.waitForFxEvents();
        var tree = (org.controlsfx.control.CheckTreeView<?>) stage.getScene().lookup("#project-tree");
        assertTrue(tree.getRoot() != null && tree.getRoot().getChildren().stream().anyMatch(c -> "readme.md".equals(c.getValue())),
                "the tree lists the project's files");
        assertEquals("b-project", ((Label) stage.getScene().lookup("#project-title")).getText());
    }

    @Test
    void aProjectsSessionOpenedFromHistoryOrTheChatListOpensTheProjectSectionWithIt(FxRobot robot,
            @TempDir Path ownHome) throws Exception {
        // a home of its own: the generation recorded here would show in the other tests' History
        var folders = DataFolders.resolve(Map.of("HEARTH_HOME", ownHome.toString()), "Linux", ownHome).create();
        var shared = wiring;
        wiring = wiring(folders);
        robot.interact(() -> stage.setScene(new Scene(wiring.shellView(), 1000, 700)));
        shared.close();
        var folder = Files.createDirectories(ownHome.resolve("session-project"));
        Files.writeString(folder.resolve("readme.txt"), "read me");
        var log = wiring.log();
        long projectId = log.createProject("session-project", folder.toRealPath().toString());
        long first = log.createSession("First project chat", projectId);
        long second = log.createSession("Second project chat", projectId);
        var run = dev.hearth.ui.GenerationRecorder.runRecord(ownHome.resolve("tiny.gguf"), "b4916", "worker",
                dev.hearth.inference.LoadOptions.DEFAULT, dev.hearth.inference.Sampling.DEFAULT, "Q", 1);
        long generation = log.startGeneration(first, null, run).id().join();
        log.flush();

        // History: the selected generation's "Open session"
        robot.interact(() -> wiring.shell().sectionProperty().set(Section.HISTORY));
        var history = wiring.history();
        robot.interact(history::refresh);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> history.rows().stream().anyMatch(r -> r.generation().id() == generation));
        robot.interact(() -> {
            history.select(history.rows().stream().filter(r -> r.generation().id() == generation).toList());
            history.openSession();
        });
        var project = wiring.project();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> project.chat().sessionProperty().get() != null
                && project.chat().sessionProperty().get().id() == first);
        assertEquals(Section.PROJECT, wiring.shell().sectionProperty().get());
        assertEquals(projectId, project.projectProperty().get().id());
        assertTrue(project.files().stream().anyMatch(f -> f.path().equals("readme.txt")));

        // the Chat section's list: a project's session goes to the Project section too
        robot.interact(() -> wiring.shell().sectionProperty().set(Section.CHAT));
        var chat = wiring.chat();
        robot.interact(() -> chat.openSession(log.session(second).orElseThrow()));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> project.chat().sessionProperty().get().id() == second);
        assertEquals(Section.PROJECT, wiring.shell().sectionProperty().get());
        assertTrue(chat.sessionProperty().get() == null || chat.sessionProperty().get().projectId() == null,
                "the plain chat does not show the project's session");
    }

    @Test
    void theCompareSectionOffersToAddVariantsAndRun(FxRobot robot) {
        robot.clickOn("#nav-compare");
        assertTrue(robot.lookup(".compare").tryQuery().isPresent());
        assertTrue(robot.lookup("Add variant…").tryQuery().isPresent());
        assertTrue(robot.lookup("Run").tryQuery().isPresent());
    }
}
