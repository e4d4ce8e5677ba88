package dev.hearth.ui.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerLight;
import dev.hearth.inference.EngineLog;
import dev.hearth.inference.Engines;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.chat.BuiltinChatFormatter;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.FxTestUiTasks;
import dev.hearth.ui.engine.LoadRequest;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/// The Compare section in the real view, headless: Add variant (the model chooser answers with a fixture model) twice,
/// Run, and both columns fill with real answers from llama.cpp.
@Tag("fx")
@ExtendWith(ApplicationExtension.class)
class CompareViewTest {
    @TempDir static Path dir;
    static SessionLog log;
    static Path model;
    private CompareViewModel vm;

    @BeforeAll
    static void open() throws Exception {
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));
        model = CompareViewModelTest.model("compare-a.gguf", 11);
    }

    @AfterAll
    static void close() {
        log.close();
    }

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        vm = new CompareViewModel(() -> Engines.inProcess(NativeLibrary.bundled(CompareViewModelTest.home().resolve("cache")),
                EngineLog.SYSTEM_LOGGER), log, BuiltinChatFormatter.NONE, new FxTestUiTasks(), 2);
        var view = new CompareView(vm, _ -> Optional.of(new LoadRequest(model, LoadOptions.DEFAULT.withThreads(1)
                .withContextSize(256))));
        stage.setScene(new Scene(view, 1300, 860));
        stage.setOnHidden(_ -> vm.close());
        stage.show();
    }

    @Test
    void addingTwoVariantsAndRunningFillsOneColumnPerVariant(FxRobot robot) throws TimeoutException {
        robot.clickOn("Add variant…");
        robot.clickOn("Add variant…");
        robot.interact(() -> {
            vm.promptProperty().set("Hello");
            var second = vm.variants().get(1);
            vm.variants().set(1, new CompareVariant("hot", second.load(), Sampling.DEFAULT.withTemperature(1.5).withSeed(9)
                    .withMaxTokens(6), ""));
            var first = vm.variants().get(0);
            vm.variants().set(0, new CompareVariant(first.label(), first.load(), first.sampling().withMaxTokens(6), ""));
        });
        assertEquals(2, vm.variants().size());
        robot.clickOn("Run");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.stateProperty().get() == CompareViewModel.State.IDLE
                && vm.columns().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        var outputs = robot.lookup(".compare-cell .text-area").queryAllAs(TextArea.class);
        assertEquals(2, outputs.size());
        for (var area : outputs) assertFalse(area.getText().isEmpty());
        assertTrue(robot.lookup(".compare-stats").queryLabeled().getText().startsWith("6 tokens"));
        assertEquals(2, robot.lookup(".table-view").queryTableView().getItems().size(), "a summary line per variant");
        assertFalse(robot.lookup("#compare-memory").query().isVisible(), "one small model fits: no memory problem");

        long original = vm.experimentIdProperty().get();
        robot.clickOn("Duplicate");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.experimentIdProperty().get() != null
                && vm.experimentIdProperty().get() != original);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(vm.columns().isEmpty(), "a duplicate has no outputs until it is run");
        assertTrue(vm.nameProperty().get().endsWith("(copy)"), vm.nameProperty().get());
        assertEquals(2, vm.variants().size());
    }
}
