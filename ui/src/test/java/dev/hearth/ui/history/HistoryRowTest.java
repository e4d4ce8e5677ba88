package dev.hearth.ui.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.storage.Generation;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.RunRecord;
import dev.hearth.storage.SearchHit;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class HistoryRowTest {
    private static HistoryRow row(String prompt, @Nullable String snippet) {
        var run = new RunRecord("/m.gguf", "m.gguf", null, "llama.cpp b4916", "worker", Map.of(), Map.of(), 1, prompt, 3,
                Instant.EPOCH);
        return new HistoryRow(new Generation(1, "u", null, null, run, GenerationStatus.DONE, "eos", null, "out", null,
                null, 0), snippet);
    }

    @Test
    void aSnippetSplitsIntoMatchedAndPlainSpans() {
        var snippet = "…the " + SearchHit.MARK_START + "river" + SearchHit.MARK_END + " ran\nby";
        assertEquals(List.of(new HistoryRow.Span("…the ", false), new HistoryRow.Span("river", true),
                new HistoryRow.Span(" ran by", false)), row("p", snippet).excerpt());
    }

    @Test
    void aChatPromptShowsItsLatestQuestionWithoutMarkers() {
        var prompt = "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nWhat is a river?<|im_end|>\n"
                + "<|im_start|>assistant\n";
        assertEquals("system You are helpful. user What is a river?", row(prompt, null).excerptText());
    }

    @Test
    void aLongRawPromptShowsItsStart() {
        var prompt = "word ".repeat(100);
        var text = row(prompt, null).excerptText();
        assertEquals(HistoryRow.EXCERPT_CHARS + 1, text.length());
        assertEquals("word word", text.substring(0, 9));
    }
}
