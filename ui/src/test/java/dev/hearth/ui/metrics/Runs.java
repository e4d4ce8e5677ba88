package dev.hearth.ui.metrics;

import dev.hearth.storage.GenerationEnd;
import dev.hearth.storage.GenerationStats;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.RunRecord;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.Token;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/// Writes finished generations into a real session log, as the chat and the CLI record them.
final class Runs {
    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private Runs() {}

    /// A finished generation of `model` at `startedAt` with the given speeds; `tokenMs` are cumulative token times.
    static void write(SessionLog log, String modelPath, String model, double temperature, Instant startedAt,
            double tokensPerSecond, double promptTokensPerSecond, double ttftMs, float... tokenMs) {
        var run = new RunRecord(modelPath, model, null, "llama.cpp b4916", "worker", Map.of("gpuLayers", 0),
                Map.of("temperature", temperature), 42, "prompt", 5, startedAt);
        var w = log.startGeneration(null, null, run);
        for (int i = 0; i < tokenMs.length; i++) w.append(new Token(i, 10 + i, "t" + i, -0.1f, 0, 0.5f, tokenMs[i], List.of()));
        w.finish(new GenerationEnd(GenerationStatus.DONE, "eos", null, null,
                new GenerationStats(5, 10, tokenMs.length, 100, tokensPerSecond, promptTokensPerSecond, ttftMs),
                startedAt.plusSeconds(2)));
    }
}
