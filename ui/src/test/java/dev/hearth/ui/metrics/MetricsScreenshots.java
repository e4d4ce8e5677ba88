package dev.hearth.ui.metrics;

import atlantafx.base.theme.PrimerLight;
import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.hub.TokenFile;
import dev.hearth.inference.library.MemoryBandwidth;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.FxTestUiTasks;
import dev.hearth.ui.settings.SettingsStore;
import dev.hearth.ui.settings.SettingsView;
import dev.hearth.ui.settings.SettingsViewModel;
import dev.hearth.ui.shell.ShellViewModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/// Writes `docs/screenshots/metrics.png` and `settings.png` for a look at the layout: a session log of 600 runs
/// of three models with made-up speeds (one model a real fixture file, so it has a ceiling) and this machine's
/// measured bandwidth. The speeds are invented, so these pictures are for checking the layout, not for the
/// README. Runs only when asked:
///
///     ./mvnw -q -B -pl ui -am test -Dtest=MetricsScreenshots -Dsurefire.failIfNoSpecifiedTests=false -Dhearth.screenshots=true
@EnabledIfSystemProperty(named = "hearth.screenshots", matches = "true")
@ExtendWith(ApplicationExtension.class)
class MetricsScreenshots {
    private static final Path OUT = Path.of("..", "docs", "screenshots");

    @TempDir Path dir;
    BorderPane root;
    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        root = new BorderPane();
        stage.setScene(new Scene(root, 1280, 820));
        stage.show();
    }

    @Test
    void writeScreenshots(FxRobot robot) throws Exception {
        var model = FixtureModel.builder().name("Screenshot fixture").width(256).layers(4).write(dir.resolve("fixture.gguf"));
        try (var log = SqliteSessionLog.open(dir.resolve("hearth.db"))) {
            var random = new java.util.Random(3);
            for (int i = 0; i < 600; i++) {
                var t = Runs.T0.plus(Duration.ofHours(i * 3L / 2));
                int m = i % 3;
                var name = new String[] {"fixture.gguf", "qwen2.5-1.5b-q4_k_m.gguf", "llama-3.2-3b-q8_0.gguf"}[m];
                var path = m == 0 ? model.toString() : "/models/" + name;
                double base = new double[] {900, 38, 17}[m];
                double tps = base * (0.85 + 0.2 * random.nextDouble());
                Runs.write(log, path, name, i % 2 == 0 ? 0.7 : 0.0, t, tps, tps * 8, 1000 / tps * 3,
                        i >= 597 ? latencies(random) : new float[0]);
            }
            log.flush();
            var metrics = new MetricsViewModel(log, dir.resolve("bw.properties"), MemoryBandwidth::measure,
                    ModelWeights::bytes, new FxTestUiTasks());
            robot.interact(() -> {
                root.setCenter(new MetricsView(metrics));
                metrics.open();
            });
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> metrics.stateProperty().get() == MetricsViewModel.State.READY
                    && metrics.bandwidthProperty().get() != null);
            WaitForAsyncUtils.waitForFxEvents();
            Files.createDirectories(OUT);
            ChartImage.write(fx(robot, () -> ChartImage.snapshot(stage.getScene().getRoot())), OUT.resolve("metrics.png"));

            var store = SettingsStore.open(dir.resolve("settings.json"));
            var settings = new SettingsViewModel(store, new ShellViewModel(store), new TokenFile(dir.resolve("t")), log,
                    log.file(), _ -> {
                        throw new IllegalStateException();
                    }, new FxTestUiTasks());
            robot.interact(() -> {
                root.setCenter(new SettingsView(settings));
                settings.open();
            });
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !settings.logSizeProperty().get().isEmpty());
            WaitForAsyncUtils.waitForFxEvents();
            ChartImage.write(fx(robot, () -> ChartImage.snapshot(stage.getScene().getRoot())), OUT.resolve("settings.png"));
        }
    }

    private static float[] latencies(java.util.Random random) {
        var out = new float[120];
        float t = 0;
        for (int i = 0; i < out.length; i++) {
            t += (float) (20 + 6 * random.nextGaussian() + (i % 40 == 0 ? 30 : 0));
            out[i] = t;
        }
        return out;
    }

    private static <T> T fx(FxRobot robot, java.util.concurrent.Callable<T> work) throws Exception {
        return WaitForAsyncUtils.asyncFx(work).get(10, TimeUnit.SECONDS);
    }
}
