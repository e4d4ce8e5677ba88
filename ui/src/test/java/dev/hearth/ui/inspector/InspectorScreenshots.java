package dev.hearth.ui.inspector;

import dev.hearth.ui.Screenshots;

import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import atlantafx.base.theme.Theme;
import dev.hearth.storage.Token;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javafx.application.Application;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/// Writes the inspector's screenshots to `docs/screenshots/`: the heatmap of a real answer (a fixture model in the
/// real llama.cpp) with the alternatives popup open, and the prompt tokenisation view, in AtlantaFX's light and dark
/// themes. Runs only when asked:
///
///     ./mvnw -q -B -pl ui -am test -Dtest=InspectorScreenshots -Dsurefire.failIfNoSpecifiedTests=false -Dhearth.screenshots=true
///
/// Rendering is headless (JavaFX's Headless glass platform, software Prism): the window and the popup are each
/// snapshotted and the popup is drawn over the window where it stands on screen.
@Tag("fx")
@EnabledIfSystemProperty(named = "hearth.screenshots", matches = "true")
class InspectorScreenshots {
    private static final Path OUT = Path.of(System.getProperty("hearth.screenshots.dir", "../docs/screenshots"));
    private static List<Token> answer;
    private static PromptBreakdown prompt;
    private static Stage stage;

    @BeforeAll
    static void generate() throws Exception {
        try (var fixture = new FixtureAnswers()) {
            prompt = fixture.prompt();
            answer = fixture.answer(90, 8);
        }
        stage = FxToolkit.registerPrimaryStage();
        Files.createDirectories(OUT);
    }

    @AfterAll
    static void closeWindows() throws Exception {
        fx(() -> {
            javafx.stage.Window.getWindows().stream().toList().forEach(javafx.stage.Window::hide);
            return null;
        });
    }

    @Test
    void heatmapWithTheAlternativesPopupInLightAndDark() throws Exception {
        writeHeatmap(new PrimerLight(), "heatmap-light.png");
        writeHeatmap(new PrimerDark(), "heatmap-dark.png");
    }

    @Test
    void promptTokensInLightAndDark() throws Exception {
        writePrompt(new PrimerLight(), "prompt-tokens-light.png");
        writePrompt(new PrimerDark(), "prompt-tokens-dark.png");
    }

    private void writeHeatmap(Theme theme, String file) throws Exception {
        // the position to open: the first answer token that was not the model's first choice, else the least likely
        int open = IntStream.range(0, answer.size()).filter(i -> answer.get(i).rank() > 0 && i > 8).findFirst()
                .orElseGet(() -> IntStream.range(0, answer.size()).boxed()
                        .min(Comparator.comparingDouble(i -> answer.get(i).logprob())).orElseThrow());
        var heatmap = fx(() -> {
            Application.setUserAgentStylesheet(theme.getUserAgentStylesheet());
            var view = new TokenHeatmapView();
            view.setTokens(answer);
            var title = new Label("Assistant · Inspector fixture (2-layer test model, real llama.cpp) · " + answer.size() + " tokens");
            title.getStyleClass().add("text-muted");
            var root = new VBox(10, new HeatmapLegend(view.modeProperty()), title, view);
            root.setPadding(new Insets(16));
            stage.setScene(new Scene(root, 860, 520));
            stage.setTitle("Hearth — token inspector");
            stage.show();
            return view;
        });
        WaitForAsyncUtils.waitForFxEvents();
        fx(() -> {
            heatmap.select(open);
            heatmap.showAlternatives(open);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        var image = fx(() -> {
            var composed = Screenshots.withPopup(stage.getScene(), heatmap.alternativesPopup().getContent().getFirst());
            heatmap.hideAlternatives();
            return composed;
        });
        Screenshots.write(image, OUT.resolve(file));
    }

    private void writePrompt(Theme theme, String file) throws Exception {
        fx(() -> {
            Application.setUserAgentStylesheet(theme.getUserAgentStylesheet());
            var view = new PromptTokensView();
            view.setBreakdown(prompt);
            view.setPadding(new Insets(16));
            stage.setScene(new Scene(view, 760, 420));
            stage.show();
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        Screenshots.write(fx(() -> stage.getScene().snapshot(null)), OUT.resolve(file));
    }

    private static <T> T fx(Callable<T> work) throws Exception {
        return WaitForAsyncUtils.asyncFx(work).get(30, TimeUnit.SECONDS);
    }

}
