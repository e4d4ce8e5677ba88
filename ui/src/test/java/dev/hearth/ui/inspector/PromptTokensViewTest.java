package dev.hearth.ui.inspector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerLight;
import dev.hearth.inference.TokenPiece;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@Tag("fx")
@ExtendWith(ApplicationExtension.class)
class PromptTokensViewTest {
    private static final PromptBreakdown PROMPT = new PromptBreakdown("<s>Hi there\n<|im_end|>", List.of(
            new TokenPiece(1, "<s>", true),
            new TokenPiece(50, "Hi", false),
            new TokenPiece(51, " there", false),
            new TokenPiece(13, "\n", false),
            new TokenPiece(260, "<|im_end|>", true)), 1, 2, 1, 64);

    private PromptTokensView view;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        view = new PromptTokensView();
        view.setBreakdown(PROMPT);
        stage.setScene(new Scene(view, 600, 300));
        stage.show();
    }

    @Test
    void theSummaryCountsEachPartAgainstTheContext(FxRobot robot) {
        assertEquals("System 1 · History 2 · New message 1 · Template 1 — 5 of 64 tokens (7.8 %), 59 free",
                robot.lookup(".budget-summary").queryAs(Label.class).getText());
        assertEquals(4, robot.lookup(".budget-bar .budget-segment").queryAll().size(), "system, history, new, template");
    }

    @Test
    void tokensAlternateBackgroundsAndSpecialTokensAreMarked(FxRobot robot) {
        assertEquals("<s>Hi there↵\n<|im_end|>", fx(view::tokensText));
        assertEquals(List.of("prompt-token-even", "prompt-token-control"), List.copyOf(fx(() -> view.tokensStyleAt(0))));
        assertEquals(List.of("prompt-token-odd"), List.copyOf(fx(() -> view.tokensStyleAt(3))));
        assertEquals(List.of("prompt-token-even"), List.copyOf(fx(() -> view.tokensStyleAt(5))));
        assertEquals(List.of("prompt-token-odd"), List.copyOf(fx(() -> view.tokensStyleAt(11))), "the newline's ↵");
        assertEquals(2, fx(() -> view.tokenAt(5)));
        assertEquals(4, fx(() -> view.tokenAt(14)));
    }

    @Test
    void hoveringATokenShowsItsIdAndWhetherItIsSpecial(FxRobot robot) throws Exception {
        var end = fx(() -> view.tokenBoundsOnScreen(4)).orElseThrow();
        robot.moveTo(new javafx.geometry.Point2D(end.getCenterX(), end.getCenterY()));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> fx(view::hoverText) != null);
        assertEquals("Token 5 of 5 · id 260 · “<|im_end|>” · special token", fx(view::hoverText));
        var there = fx(() -> view.tokenBoundsOnScreen(2)).orElseThrow();
        robot.moveTo(new javafx.geometry.Point2D(there.getCenterX(), there.getCenterY()));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> "Token 3 of 5 · id 51 · “␣there”".equals(fx(view::hoverText)));
    }

    @Test
    void showIdsWritesEachTokensIdAfterIt(FxRobot robot) {
        robot.clickOn("#prompt-show-ids");
        assertEquals("<s>[1]Hi[50] there[51]↵\n[13]<|im_end|>[260]", fx(view::tokensText));
        assertEquals(List.of("prompt-token-id"), List.copyOf(fx(() -> view.tokensStyleAt(3))));
        assertEquals(2, fx(() -> view.tokenAt("<s>[1]Hi[50] there[5".length())), "an id belongs to its token");
        robot.clickOn("#prompt-show-ids");
        assertEquals("<s>Hi there↵\n<|im_end|>", fx(view::tokensText));
    }

    @Test
    void theRenderedPromptCanBeReadAsPlainTextAndCopied(FxRobot robot) {
        robot.clickOn("#prompt-view-text");
        var plain = robot.lookup(".prompt-plain-text").queryAs(TextArea.class);
        assertTrue(plain.isVisible());
        assertEquals(PROMPT.renderedPrompt(), plain.getText());
        robot.clickOn("#prompt-copy");
        assertEquals(PROMPT.renderedPrompt(), fx(() -> Clipboard.getSystemClipboard().getString()));
        robot.clickOn("#prompt-view-tokens");
        assertFalse(plain.isVisible());
    }

    @Test
    void aPromptOverTheContextIsFlagged(FxRobot robot) {
        robot.interact(() -> view.setBreakdown(new PromptBreakdown("x", PROMPT.pieces(), 1, 2, 2, 4)));
        var summary = robot.lookup(".budget-summary").queryAs(Label.class);
        assertEquals("System 1 · History 2 · New message 2 · Template 0 — 5 tokens, 1 more than the context of 4", summary.getText());
        assertTrue(summary.getPseudoClassStates().stream().anyMatch(p -> p.getPseudoClassName().equals("overflow")));
        assertEquals(1, robot.lookup(".budget-over").queryAll().size());
    }

    private static <T> T fx(Callable<T> work) {
        try {
            return WaitForAsyncUtils.asyncFx(work).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
