package dev.hearth.ui.inspector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hearth.inference.TokenPiece;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptBudgetTest {
    private static PromptBreakdown breakdown(int tokens, int system, int history, int newMessage, int context) {
        var pieces = new ArrayList<TokenPiece>();
        for (int i = 0; i < tokens; i++) pieces.add(new TokenPiece(10 + i, "t" + i, i == 0));
        return new PromptBreakdown("rendered", pieces, system, history, newMessage, context);
    }

    @Test
    void thePartsAndTheTemplatesOwnTokensAddUpToTheWholePrompt() {
        var budget = PromptBudget.of(breakdown(50, 10, 25, 8, 200));
        assertEquals(10, budget.system());
        assertEquals(25, budget.history());
        assertEquals(8, budget.newMessage());
        assertEquals(7, budget.template());
        assertEquals(50, budget.total());
        assertEquals(150, budget.free());
        assertEquals(0, budget.over());
        assertEquals(0.05, budget.fraction(budget.system()), 1e-9);
        assertEquals("System 10 · History 25 · New message 8 · Template 7 — 50 of 200 tokens (25.0 %), 150 free",
                budget.summary());
    }

    @Test
    void aPromptLongerThanTheContextSaysByHowMuchAndTheBarIsThePrompt() {
        var budget = PromptBudget.of(breakdown(120, 20, 90, 10, 100));
        assertEquals(0, budget.template());
        assertEquals(0, budget.free());
        assertEquals(20, budget.over());
        assertEquals(1.0, budget.fraction(120), 1e-9);
        assertEquals("System 20 · History 90 · New message 10 · Template 0 — 120 tokens, 20 more than the context of 100",
                budget.summary());
    }

    @Test
    void anUnknownContextSizeCountsAgainstThePromptOnly() {
        var budget = PromptBudget.of(breakdown(4, 0, 0, 4, 0));
        assertEquals(0, budget.free());
        assertEquals(0, budget.over());
        assertEquals(1.0, budget.fraction(4), 1e-9);
        assertEquals("System 0 · History 0 · New message 4 · Template 0 — 4 tokens", budget.summary());
    }

    @Test
    void partsCountedBeyondThePromptLeaveNoNegativeTemplate() {
        assertEquals(0, PromptBudget.of(breakdown(5, 3, 3, 3, 64)).template());
    }

    @Test
    void negativeCountsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PromptBudget(-1, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> breakdown(3, 0, -2, 0, 10));
    }

    @Test
    void anEmptyPromptTakesNothing() {
        var budget = PromptBudget.of(new PromptBreakdown("", List.of(), 0, 0, 0, 512));
        assertEquals(512, budget.free());
        assertEquals(0.0, budget.fraction(0));
    }
}
