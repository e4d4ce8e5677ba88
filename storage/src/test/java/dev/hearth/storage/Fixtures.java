package dev.hearth.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/// Realistic-looking generation data for tests and benchmarks: deterministic per seed.
final class Fixtures {
    private Fixtures() {}

    static final String[] WORDS = {
        "the", "cat", "sat", "on", "mat", "river", "stone", "light", "quantum", "kernel", "thread", "garden",
        "hearth", "ember", "winter", "token", "model", "answer", "question", "because", "however", "simple",
        "proof", "number", "prime", "sqlite", "index", "window", "paper", "orange", "violet", "north", "south",
        " ", ",", ".", "\n", "é", "日本", "🙂"
    };

    static RunRecord run(String prompt, String model, double temperature) {
        return new RunRecord("/models/" + model + ".gguf", model, "ab".repeat(32), "llama.cpp b4916", "in-process",
                Map.of("contextSize", 4096, "gpuLayers", 0), Map.of("temperature", temperature, "topK", 40, "topP", 0.95),
                42, prompt, prompt.length() / 4 + 1, Instant.parse("2026-11-20T10:00:00Z"));
    }

    static RunRecord run(String prompt) {
        return run(prompt, "tiny-llama", 0.8);
    }

    static Token token(int index, int topK, Random random) {
        var top = new ArrayList<TopToken>(topK);
        float lp = -0.05f - random.nextFloat();
        for (int k = 0; k < topK; k++) {
            int id = random.nextInt(32_000);
            top.add(new TopToken(id, WORDS[id % WORDS.length], lp));
            lp -= 0.3f + random.nextFloat();
        }
        int id = topK > 0 ? top.getFirst().id() : random.nextInt(32_000);
        return new Token(index, id, WORDS[id % WORDS.length], topK > 0 ? top.getFirst().logprob() : Float.NaN,
                topK > 0 ? 0 : -1, 1.5f * random.nextFloat(), 12.5f + index * 0.5f, top);
    }

    static List<Token> tokens(int count, int topK, long seed) {
        var random = new Random(seed);
        var out = new ArrayList<Token>(count);
        for (int i = 0; i < count; i++) out.add(token(i, topK, random));
        return out;
    }

    /// The tokens [ChildWriter] streams: the same random sequence as its loop.
    static List<Token> streamed(long seed, int count) {
        var random = new Random(seed);
        var out = new ArrayList<Token>(count);
        for (int i = 0; i < count; i++) out.add(token(i, 10, random));
        return out;
    }

    static String text(List<Token> tokens) {
        var sb = new StringBuilder();
        for (var t : tokens) sb.append(t.piece());
        return sb.toString();
    }

    static GenerationEnd done(String output, int tokens) {
        return new GenerationEnd(GenerationStatus.DONE, "eos", null, output,
                new GenerationStats(12, 30.0, tokens, tokens * 20.0, 50.0, 400.0, 35.0), Instant.parse("2026-11-20T10:01:00Z"));
    }

    /// Writes a whole generation and waits for its row id.
    static long generate(SessionLog log, Long sessionId, RunRecord run, List<Token> tokens) {
        var w = log.startGeneration(sessionId, null, run);
        tokens.forEach(w::append);
        w.finish(done(text(tokens), tokens.size()));
        long id = w.id().join();
        log.flush();
        return id;
    }
}
