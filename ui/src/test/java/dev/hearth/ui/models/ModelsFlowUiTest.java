package dev.hearth.ui.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.gguf.KvCacheType;
import dev.hearth.ui.FxTestUiTasks;
import dev.hearth.ui.engine.LoadDialogViewModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Spinner;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
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

/// The whole Models flow in the real view, headless, against a Hub-like server on 127.0.0.1:
/// search → a repository's files → Download → the model is in the library → Load… → the dialog's estimate and fit
/// badge → Load hands over a request with the chosen options.
@Tag("fx")
@ExtendWith(ApplicationExtension.class)
class ModelsFlowUiTest {
    @TempDir
    static Path dir;
    private HubFixture fixture;
    private ModelsViewModel vm;

    @Start
    void start(Stage stage) throws Exception {
        fixture = new HubFixture(Files.createTempDirectory(dir, "models"), Files.createTempDirectory(dir, "scratch"));
        vm = fixture.viewModel(new FxTestUiTasks());
        vm.refresh();
        var scene = new Scene(new ModelsView(vm), 1100, 760);
        var css = ModelsView.class.getResource("/dev/hearth/ui/hearth.css");
        if (css != null) scene.getStylesheets().add(css.toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static void waitFor(String what, java.util.concurrent.Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition);
            WaitForAsyncUtils.waitForFxEvents();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("never happened: " + what, e);
        }
    }

    private static Node byId(FxRobot robot, String id) {
        return robot.lookup((Node n) -> id.equals(n.getId())).query();
    }

    @Test
    void searchDownloadAndLoadAModelFromTheHub(FxRobot robot) {
        robot.interact(() -> robot.lookup("#models-tabs").queryAs(TabPane.class).getSelectionModel().select(1));
        robot.clickOn("#hub-query").write("tiny");
        robot.clickOn("#hub-search");
        ListView<?> results = robot.lookup("#hub-results").queryAs(ListView.class);
        waitFor("search results", () -> !results.getItems().isEmpty()
                && robot.lookup("#hub-message").queryAs(Label.class).getText().equals("1 repository"));
        assertEquals("1 repository", robot.lookup("#hub-message").queryAs(Label.class).getText());

        robot.clickOn("someone/Tiny-GGUF");
        TableView<?> files = robot.lookup("#hub-files").queryAs(TableView.class);
        waitFor("the repository's files", () -> !files.getItems().isEmpty());
        waitFor("the download button", () -> robot.lookup((Node n) -> "hub-download-tiny-Q8_0.gguf".equals(n.getId())).tryQuery().isPresent());
        robot.clickOn(byId(robot, "hub-download-tiny-Q8_0.gguf"));

        waitFor("the model in the library", () -> vm.models().size() == 1);
        ListView<?> downloads = robot.lookup("#downloads-list").queryAs(ListView.class);
        assertEquals(1, downloads.getItems().size());
        waitFor("the row says it is in the library", () -> robot.lookup("In the library").tryQuery().isPresent());

        robot.interact(() -> robot.lookup("#models-tabs").queryAs(TabPane.class).getSelectionModel().select(0));
        assertEquals("someone/Tiny-GGUF/tiny-Q8_0.gguf", vm.selectedProperty().get().name());
        waitFor("Load… enabled", () -> !robot.lookup("#models-load").queryAs(Button.class).isDisabled());
        robot.clickOn("#models-load");

        waitFor("the fit badge", () -> robot.lookup("#load-fit").tryQueryAs(Label.class).map(l -> !l.getText().isEmpty()).orElse(false));
        var estimate = robot.lookup("#load-estimate").queryAs(Label.class);
        assertTrue(estimate.getText().startsWith("Weights "), estimate.getText());
        var before = estimate.getText();
        robot.interact(() -> {
            @SuppressWarnings("unchecked")
            ComboBox<KvCacheType> kv = robot.lookup("#load-kv").queryAs(ComboBox.class);
            kv.setValue(KvCacheType.Q8_0);
            @SuppressWarnings("unchecked")
            Spinner<Integer> context = robot.lookup("#load-context").queryAs(Spinner.class);
            context.getValueFactory().setValue(1024);
        });
        assertTrue(estimate.getText().contains("1,024 tokens, q8_0"), estimate.getText());
        assertTrue(!estimate.getText().equals(before));
        var badge = robot.lookup("#load-fit").queryAs(Label.class).getText();
        assertTrue(badge.equals("CPU only") || badge.equals("too large") || badge.startsWith("fits") || badge.startsWith("partial"), badge);
        robot.clickOn("#load-confirm");

        waitFor("the load request", () -> fixture.loads.size() == 1);
        var request = fixture.loads.getFirst();
        assertEquals(vm.models().getFirst().path(), request.model());
        assertEquals(1024, request.options().contextSize());
        assertEquals(KvCacheType.Q8_0, request.options().kvCacheType());
        assertTrue(request.options().flashAttention());
        assertTrue(LoadDialogViewModel.KV_CACHE_TYPES.contains(request.options().kvCacheType()));
    }
}
