package dev.hearth.ui.engine;

import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineCapabilities;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.GenerationStats;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.ModelSummary;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.SpecialTokens;
import dev.hearth.inference.StopReason;
import dev.hearth.inference.TokenPiece;
import dev.hearth.inference.TopToken;
import dev.hearth.inference.gguf.FixtureModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/// A fake engine for view-model tests only (the style allows it there): one character is one token, answers come
/// from a script, and it can be told to crash after some tokens or to stop itself as if Stop was pressed.
public final class ScriptedEngine implements Engine {
    public final List<String> answers = new ArrayList<>();
    public final List<String> prompts = new ArrayList<>();
    public final List<List<Integer>> tokenRequests = new ArrayList<>();
    public int crashAfterTokens = -1;
    public int cancelAfterTokens = -1;
    public boolean failLoad;
    /// Time between two tokens (0: as fast as possible), to pace a stream like a real engine for benchmarks.
    public long nanosPerToken;
    /// Runs while the model loads (between two progress reports).
    public Runnable duringLoad = () -> {};
    private volatile boolean cancelled;
    private boolean loaded;
    public boolean closed;

    @Override
    public EngineCapabilities capabilities() {
        return new EngineCapabilities("b0-test", "none", List.of(), false, true, false);
    }

    @Override
    public ModelSummary load(Path model, LoadOptions options, LoadProgress progress) {
        if (failLoad) throw new EngineException(Failure.Kind.NOT_A_MODEL_FILE, "scripted failure");
        progress.onProgress(0.5f);
        duringLoad.run();
        if (!progress.onProgress(1f)) throw new EngineException(Failure.Kind.LOAD_CANCELLED, "cancelled");
        loaded = true;
        return new ModelSummary(model, "llama", "scripted", 1, 1234, 1, 1, 300, 512, 512, FixtureModel.CHATML_TEMPLATE);
    }

    @Override
    public void unload() {
        loaded = false;
    }

    @Override
    public boolean isLoaded() {
        return loaded;
    }

    @Override
    public GenerationStats generate(GenerationRequest request, Consumer<? super GenerationEvent> events) {
        prompts.add(request.prompt());
        return stream(answers.isEmpty() ? "ok" : answers.removeFirst(), events);
    }

    @Override
    public GenerationStats generateTokens(List<Integer> tokens, Sampling sampling, boolean tokenStats,
            Consumer<? super GenerationEvent> events) {
        tokenRequests.add(List.copyOf(tokens));
        return stream(answers.isEmpty() ? "!" : answers.removeFirst(), events);
    }

    private GenerationStats stream(String answer, Consumer<? super GenerationEvent> events) {
        cancelled = false;
        int n = 0;
        for (char c : answer.toCharArray()) {
            if (n == crashAfterTokens) {
                crashAfterTokens = -1;
                throw new EngineException(Failure.Kind.ENGINE_CRASHED, "engine stopped during generation (signal 9)");
            }
            if (n == cancelAfterTokens) {
                cancelAfterTokens = -1;
                cancel();
            }
            if (cancelled) return finish(n, StopReason.CANCELLED, events);
            var top = List.of(new TopToken(c, String.valueOf(c), -0.1), new TopToken('x', "x", -2.5),
                    new TopToken('y', "y", -3.0));
            if (nanosPerToken > 0) java.util.concurrent.locks.LockSupport.parkNanos(nanosPerToken);
            events.accept(new GenerationEvent.Token(n, c, String.valueOf(c), -0.1, 1, 0.5, top, 0.9, 2.0));
            n++;
        }
        return finish(n, StopReason.EOS, events);
    }

    private static GenerationStats finish(int n, StopReason reason, Consumer<? super GenerationEvent> events) {
        var stats = new GenerationStats(10, 0, 5, n, n * 2.0, 7, reason);
        events.accept(new GenerationEvent.Finished(reason, stats));
        return stats;
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public List<TokenPiece> tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        var pieces = new ArrayList<TokenPiece>();
        if (addSpecial) pieces.add(new TokenPiece(1, "<s>", true));
        for (char c : text.toCharArray()) pieces.add(new TokenPiece(c, String.valueOf(c), false));
        return pieces;
    }

    @Override
    public String detokenize(List<Integer> ids, boolean removeSpecial, boolean unparseSpecial) {
        var sb = new StringBuilder();
        for (int id : ids) if (id == 1) sb.append("<s>"); else if (id == 2) sb.append("</s>"); else sb.append((char) id);
        return sb.toString();
    }

    @Override
    public SpecialTokens specialTokens() {
        return new SpecialTokens(1, 2, 2, 10, -1, true, false, List.of(2));
    }

    @Override
    public void close() {
        closed = true;
        loaded = false;
    }
}
