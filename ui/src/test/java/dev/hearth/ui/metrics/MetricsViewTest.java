package dev.hearth.ui.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerLight;
import dev.hearth.inference.library.MemoryBandwidth;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.FxTestUiTasks;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
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
class MetricsViewTest {
    static final int RUNS = 10_000;

    @TempDir Path dir;
    SqliteSessionLog log;
    BorderPane root;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        root = new BorderPane();
        stage.setScene(new Scene(root, 1100, 760));
        stage.show();
    }

    @AfterEach
    void close() {
        if (log != null) log.close();
    }

    /// Token times for the newest runs only: the per-token data is not what this test is about.
    private static float[] tokens(int run) {
        return run >= RUNS - 4 ? new float[] {12f, 30f, 55f} : new float[0];
    }

    @Test
    void tenThousandRunsRenderAsAggregatesWhileTheFxThreadStaysFree(FxRobot robot) throws Exception {
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));
        String[] models = {"alpha", "beta", "gamma", "delta"};
        for (int i = 0; i < RUNS; i++) {
            var t = Runs.T0.plus(Duration.ofMinutes(37L * i));
            var model = models[i % models.length];
            Runs.write(log, "/models/" + model + ".gguf", model, i % 3 == 0 ? 0.0 : 0.7, t, 20 + i % 17,
                    200 + i % 53, 40 + i % 29, tokens(i));
        }
        log.flush();
        var vm = new MetricsViewModel(log, dir.resolve("bandwidth.properties"),
                () -> new MemoryBandwidth.Measurement(8e9, 2, 256 << 20, 3, Instant.now()),
                _ -> OptionalLong.of(2_000_000_000L), new FxTestUiTasks());

        robot.interact(() -> {
            var view = new MetricsView(vm);
            root.setCenter(view);
            vm.open();
        });
        // The reads run off the FX thread: a task posted now runs while they are under way.
        assertTrue(WaitForAsyncUtils.asyncFx(() -> true).get(10, TimeUnit.SECONDS));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.stateProperty().get() == MetricsViewModel.State.READY);
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> table = robot.lookup("#metrics-runs").queryAs(TableView.class);
        assertEquals(4, table.getItems().size(), "one row per model");
        assertEquals(RUNS, vm.groups().stream().mapToInt(RunGroup::runs).sum());
        var chart = robot.lookup("#metrics-chart").queryAs(javafx.scene.chart.LineChart.class);
        assertEquals(4 + 4, chart.getData().size(), "four models and their four ceilings");
        int points = vm.chart().stream().mapToInt(s -> s.points().size()).max().orElseThrow();
        assertTrue(points <= MetricsViewModel.MAX_POINTS_PER_SERIES, "aggregated into buckets: " + points);
        assertTrue(robot.lookup("#metrics-bandwidth").queryAs(Label.class).getText().startsWith("Memory bandwidth 8.0 GB/s"));
        assertFalse(vm.latencyProperty().get().millis().isEmpty(), "the newest generation's latency is drawn");

        robot.interact(() -> vm.bySamplingProperty().set(true));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.groups().size() == 8);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(8, table.getItems().size(), "two parameter sets per model");
    }
}
