package dev.hearth.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.gguf.FixtureModel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `hearth chat` with a scripted terminal, on a fixture model with a ChatML template, in an engine worker.
class ChatCommandTest {
    @TempDir static Path dir;

    private static CliRun chat(String input, String... args) throws Exception {
        var model = FixtureModel.builder().width(64).layers(2).seed(11).contextLength(1024).write(dir.resolve("chat.gguf"));
        var stdin = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            var full = new java.util.ArrayList<>(java.util.List.of("chat", "--model", model.toString(), "--temperature",
                    "0", "--max-tokens", "4", "--threads", "1"));
            full.addAll(java.util.List.of(args));
            return CliRun.of(full.toArray(String[]::new));
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void aSecondTurnReusesTheFirstFromTheCacheAndResetClears() throws Exception {
        var run = chat("Hello there\n/stats\nAnd a second question\n/stats\n/reset\n/stats\n", "--system", "Be brief.");
        assertEquals(0, run.exitCode(), run.err());
        var reused = Pattern.compile("prompt (\\d+) tokens, (\\d+) of them reused from the cache, (\\d+) evaluated")
                .matcher(run.out());
        assertTrue(reused.find(), run.out());
        assertEquals(0, Integer.parseInt(reused.group(2)), "the first turn has nothing to reuse: " + run.out());
        assertTrue(reused.find(), run.out());
        int prompt = Integer.parseInt(reused.group(1));
        int fromCache = Integer.parseInt(reused.group(2));
        assertTrue(fromCache > prompt / 3, "the second turn reuses the first turn's tokens: " + run.out());
        assertTrue(run.out().contains("(conversation cleared)"), run.out());
    }

    @Test
    void endOfInputExitsCleanlyAndUnknownCommandsAreExplained() throws Exception {
        var run = chat("/fly\n");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("unknown command /fly"), run.out());
    }
}
