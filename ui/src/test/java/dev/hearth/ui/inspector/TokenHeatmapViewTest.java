package dev.hearth.ui.inspector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerLight;
import dev.hearth.storage.Token;
import dev.hearth.storage.TopToken;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/// The heatmap and its alternatives popup, driven by mouse and keyboard. The tokens are written here so each
/// expectation is exact; the screenshot command shows the same view on tokens from the real engine.
@Tag("fx")
@ExtendWith(ApplicationExtension.class)
class TokenHeatmapViewTest {
    private static final List<Token> ANSWER = List.of(
            new Token(0, 40, "Hello", (float) Math.log(0.93), 0, 0.4f, 12, List.of(
                    new TopToken(40, "Hello", (float) Math.log(0.93)), new TopToken(41, "Hi", (float) Math.log(0.05)))),
            new Token(1, 77, " world", (float) Math.log(0.31), 1, 1.9f, 20, List.of(
                    new TopToken(78, " there", (float) Math.log(0.52)),
                    new TopToken(77, " world", (float) Math.log(0.31)),
                    new TopToken(12, "\n", (float) Math.log(0.08)))),
            new Token(2, 12, "\n", (float) Math.log(0.6), 0, 1.1f, 31, List.of(
                    new TopToken(12, "\n", (float) Math.log(0.6)), new TopToken(3, "!", (float) Math.log(0.2)))),
            new Token(3, 90, "Bye", Float.NaN, -1, Float.NaN, 40, List.of()));

    private TokenHeatmapView view;
    private final List<String> continued = new ArrayList<>();

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        view = new TokenHeatmapView();
        view.setTokens(ANSWER);
        view.setOnContinue((index, alternative) -> continued.add(index + ":" + alternative.id() + ":" + alternative.text()));
        var root = new VBox(8, new HeatmapLegend(view.modeProperty()), view);
        stage.setScene(new Scene(root, 640, 300));
        stage.show();
    }

    @AfterEach
    void closePopup() {
        fx(() -> {
            view.hideAlternatives(); // a popup left open when the toolkit exits crashes glass (stack notes)
            return null;
        });
    }

    private Point2D centreOf(FxRobot robot, int token) {
        var bounds = fx(() -> view.tokenBoundsOnScreen(token)).orElseThrow();
        return new Point2D(bounds.getCenterX(), bounds.getCenterY());
    }

    private static List<Node> rows(FxRobot robot) {
        return new ArrayList<>(robot.lookup(".alternative-row").queryAll());
    }

    private static String rowText(Node row) {
        return ((javafx.scene.layout.HBox) row).getChildren().stream()
                .filter(Label.class::isInstance).map(n -> ((Label) n).getText()).reduce((a, b) -> a + " | " + b).orElse("");
    }

    @Test
    void clickingATokenListsItsAlternativesWithTheChosenOneHighlighted(FxRobot robot) {
        robot.clickOn(centreOf(robot, 1));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, view.alternativesShownFor());
        var rows = rows(robot);
        assertEquals(3, rows.size());
        assertTrue(rowText(rows.get(0)).contains("“␣there”"), rowText(rows.get(0)));
        assertTrue(rowText(rows.get(0)).contains("52.0 %"), rowText(rows.get(0)));
        assertTrue(rowText(rows.get(2)).contains("“↵”"), rowText(rows.get(2)));
        var chosen = rows.stream().filter(r -> r.getPseudoClassStates().contains(AlternativesView.CHOSEN)).toList();
        assertEquals(1, chosen.size());
        assertTrue(rowText(chosen.getFirst()).contains("“␣world”") && rowText(chosen.getFirst()).contains("#2"), rowText(chosen.getFirst()));
        var stats = robot.lookup(".alternatives-stats").queryAs(Label.class).getText();
        assertEquals("Probability 31.0 % · log-prob −1.171 · rank #2 · entropy 1.90 nats", stats);
    }

    @Test
    void continueWithThisTokenCallsTheHandlerWithThePositionAndTheAlternative(FxRobot robot) {
        robot.clickOn(centreOf(robot, 1));
        var buttons = robot.lookup(".alternative-continue").queryAllAs(Button.class).stream().toList();
        assertEquals(2, buttons.size(), "the chosen token has no Continue");
        var newline = buttons.stream().filter(b -> b.getAccessibleText().contains("“↵”")).findFirst().orElseThrow();
        robot.clickOn(newline);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("1:12:\n"), continued);
        assertEquals(-1, view.alternativesShownFor(), "the popup closes");
    }

    @Test
    void hoveringATokenOpensItsAlternatives(FxRobot robot) throws Exception {
        robot.moveTo(centreOf(robot, 2));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.alternativesShownFor() == 2);
        var chosen = rows(robot).stream().filter(r -> r.getPseudoClassStates().contains(AlternativesView.CHOSEN)).toList();
        assertTrue(rowText(chosen.getFirst()).contains("“↵”"), rowText(chosen.getFirst()));
    }

    @Test
    void theKeyboardMovesBetweenTokensOpensWithEnterAndClosesWithEscape(FxRobot robot) {
        robot.clickOn(centreOf(robot, 0));
        robot.type(KeyCode.ESCAPE);
        assertEquals(-1, view.alternativesShownFor());
        assertEquals(0, view.selectedIndexProperty().get());
        robot.type(KeyCode.RIGHT, KeyCode.RIGHT);
        assertEquals(2, view.selectedIndexProperty().get());
        robot.type(KeyCode.ENTER);
        assertEquals(2, view.alternativesShownFor());
        robot.type(KeyCode.SPACE); // the focused first Continue: "!" in place of the newline
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("2:3:!"), continued);
        robot.type(KeyCode.LEFT);
        robot.type(KeyCode.ENTER);
        assertEquals(1, view.alternativesShownFor());
        robot.type(KeyCode.ESCAPE);
        assertEquals(-1, view.alternativesShownFor());
    }

    @Test
    void aTokenWithoutRecordedAlternativesSaysSo(FxRobot robot) {
        robot.interact(() -> view.showAlternatives(3));
        assertEquals("No alternatives were recorded for this token.",
                robot.lookup(".alternatives-none").queryAs(Label.class).getText());
        assertTrue(robot.lookup(".alternatives-stats").queryAs(Label.class).getText().contains("Probability ?"));
    }

    @Test
    void streamedBatchesAppendAndTheModeRecolours(FxRobot robot) {
        robot.interact(() -> {
            view.setTokens(ANSWER.subList(0, 2));
            view.appendTokens(ANSWER.subList(2, 4));
        });
        assertEquals(ANSWER, view.getTokens());
        assertEquals(2, view.tokenAt("Hello world↵".length() - 1), "the ↵ belongs to the newline token");
        assertEquals(3, view.tokenAt("Hello world↵\nB".length() - 1));
        assertEquals(List.of("token", "heat-0"), List.copyOf(styleAt(robot, 0)));
        assertEquals(List.of("token", "heat-3"), List.copyOf(styleAt(robot, 6)));
        robot.clickOn("#heatmap-mode-entropy");
        assertEquals(HeatmapMode.ENTROPY, view.getMode());
        assertEquals(List.of("token", "heat-3"), List.copyOf(styleAt(robot, 6)));
        assertEquals(List.of("token", "heat-1"), List.copyOf(styleAt(robot, 0)));
        assertEquals(List.of("token", "heat-unknown"), List.copyOf(styleAt(robot, "Hello world↵\nB".length() - 1)));
    }

    @Test
    void aRealAnswerFromTheEngineShowsEveryTokenAndItsAlternatives(FxRobot robot) throws Exception {
        List<Token> real;
        try (var fixture = new FixtureAnswers()) {
            real = fixture.answer(24, 5);
        }
        assertTrue(real.size() >= 2, "the fixture answered");
        robot.interact(() -> view.setTokens(real));
        var expected = real.stream().map(t -> VisibleText.inline(t.piece())).reduce("", String::concat);
        assertEquals(expected, fx(view::text));
        int last = real.size() - 1;
        robot.interact(() -> view.showAlternatives(last));
        var token = real.get(last);
        var rows = rows(robot);
        boolean chosenListed = token.top().stream().anyMatch(a -> a.id() == token.id());
        assertEquals(token.top().size() + (chosenListed ? 0 : 1), rows.size());
        assertTrue(rowText(rows.getFirst()).contains(TokenFormat.quoted(token.top().getFirst().text())), rowText(rows.getFirst()));
        var chosen = rows.stream().filter(r -> r.getPseudoClassStates().contains(AlternativesView.CHOSEN)).toList();
        assertEquals(1, chosen.size());
        assertTrue(rowText(chosen.getFirst()).contains(TokenFormat.rank(token.rank())), rowText(chosen.getFirst()));
    }

    private java.util.Collection<String> styleAt(FxRobot robot, int offset) {
        return fx(() -> view.styleAt(offset));
    }

    private static <T> T fx(java.util.concurrent.Callable<T> work) {
        try {
            return WaitForAsyncUtils.asyncFx(work).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
