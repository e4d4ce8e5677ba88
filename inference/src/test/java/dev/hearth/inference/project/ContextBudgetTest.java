package dev.hearth.inference.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.chat.ChatMessage;
import dev.hearth.inference.project.ContextBudget.Part;
import dev.hearth.inference.project.ContextBudget.Part.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextBudgetTest {
    static final Part SYSTEM = new Part(Kind.SYSTEM, "system", 100);
    static final Part FILE_A = new Part(Kind.FILE, "a", 300);
    static final Part FILE_B = new Part(Kind.FILE, "b", 200);
    static final Part MAP = new Part(Kind.REPO_MAP, "map", 150);
    static final Part OLD = new Part(Kind.HISTORY, "h1", 120);
    static final Part NEW = new Part(Kind.HISTORY, "h2", 80);
    static final Part QUESTION = new Part(Kind.QUESTION, "q", 50);
    static final Part ROOM = new Part(Kind.ANSWER_ROOM, "room", 256);
    static final List<Part> ALL = List.of(SYSTEM, FILE_A, FILE_B, MAP, OLD, NEW, QUESTION, ROOM);

    @Test
    void everythingIsKeptWhenItFits() {
        var plan = ContextBudget.plan(2000, ALL);
        assertEquals(1256, plan.needed());
        assertEquals(1256, plan.used());
        assertEquals(List.of(), plan.cut());
        assertFalse(plan.overBudget());
        assertEquals(500, plan.used(Kind.FILE));
    }

    @Test
    void exactlyTheContextSizeFits() {
        var plan = ContextBudget.plan(1256, ALL);
        assertTrue(plan.fits());
        assertEquals(List.of(), plan.cut());
    }

    @Test
    void theOldestHistoryGoesFirstThenTheMapThenTheLastAddedFile() {
        assertEquals(List.of(OLD), ContextBudget.plan(1255, ALL).cut());
        assertEquals(List.of(OLD, NEW), ContextBudget.plan(1135, ALL).cut());
        assertEquals(List.of(OLD, NEW, MAP), ContextBudget.plan(1000, ALL).cut());
        var plan = ContextBudget.plan(800, ALL);
        assertEquals(List.of(OLD, NEW, MAP, FILE_B), plan.cut());
        assertEquals(706, plan.used());
        assertTrue(plan.fits());
    }

    @Test
    void systemQuestionAndAnswerRoomAreNeverCut() {
        var plan = ContextBudget.plan(300, ALL);
        assertEquals(List.of(SYSTEM, QUESTION, ROOM), plan.kept());
        assertFalse(plan.fits());
        assertTrue(plan.overBudget());
    }

    @Test
    void theBuiltPromptLeavesOutWhatThePlanCuts() throws Exception {
        TokenCount words = t -> t.isBlank() ? 0 : t.strip().split("\\s+").length;
        var a = new ContextFile("a.txt", "0".repeat(64), 1, 1, "alpha beta gamma", 3);
        var b = new ContextFile("b.txt", "1".repeat(64), 1, 1, "delta ".repeat(50), 50);
        var history = List.of(ChatMessage.user("old question here"), ChatMessage.assistant("old answer"));
        var roomy = ProjectPrompt.build("Be brief.", List.of(a, b), null, history, "What is alpha?", 1000, 10, words);
        assertEquals(4, roomy.messages().size());
        assertTrue(roomy.messages().getFirst().text().contains("File: b.txt"));
        var tight = ProjectPrompt.build("Be brief.", List.of(a, b), null, history, "What is alpha?", 40, 10, words);
        assertEquals(List.of(a), tight.files());
        assertEquals(2, tight.messages().size(), "both history messages were cut");
        assertTrue(tight.messages().getFirst().text().contains("alpha beta gamma"));
        assertFalse(tight.messages().getFirst().text().contains("delta"));
        assertEquals("What is alpha?", tight.messages().getLast().text());
    }
}
