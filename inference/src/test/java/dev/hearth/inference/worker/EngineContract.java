package dev.hearth.inference.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.GenerationStats;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.StopReason;
import dev.hearth.inference.TokenPiece;
import dev.hearth.inference.llama.LlamaEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/// What every [Engine] does, whichever process runs llama.cpp. Runs against the in-process engine and the
/// worker-process engine, both real, on a tiny fixture model.
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EngineContract {
    static final String PROMPT = "Hello world, the model";
    Engine engine;

    /// A new engine with no model loaded.
    abstract Engine createEngine();

    @BeforeAll
    void open() {
        engine = createEngine();
    }

    @AfterAll
    void close() {
        engine.close();
    }

    @BeforeEach
    void loaded() {
        if (!engine.isLoaded()) engine.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS, LoadProgress.NONE);
    }

    record Run(List<GenerationEvent.Token> tokens, List<GenerationEvent.Finished> finished, GenerationStats stats) {
        List<Integer> ids() {
            return tokens.stream().map(GenerationEvent.Token::id).toList();
        }
    }

    Run run(GenerationRequest request) {
        var tokens = new ArrayList<GenerationEvent.Token>();
        var finished = new ArrayList<GenerationEvent.Finished>();
        var stats = engine.generate(request, e -> {
            switch (e) {
                case GenerationEvent.Token t -> tokens.add(t);
                case GenerationEvent.Finished f -> finished.add(f);
            }
        });
        return new Run(tokens, finished, stats);
    }

    /// Greedy ids from a separate in-process engine: the reference both engines must reproduce.
    static synchronized List<Integer> referenceGreedy(String prompt, int maxTokens) {
        try (var reference = LlamaEngine.open(WorkerTestSupport.library())) {
            reference.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS, LoadProgress.NONE);
            var ids = new ArrayList<Integer>();
            reference.generate(new GenerationRequest(prompt, Sampling.GREEDY.withMaxTokens(maxTokens)), e -> {
                if (e instanceof GenerationEvent.Token t) ids.add(t.id());
            });
            return ids;
        }
    }

    @Test
    void loadDescribesTheModel() {
        engine.unload();
        var summary = engine.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS, LoadProgress.NONE);
        assertEquals("llama", summary.architecture());
        assertEquals(2, summary.layers());
        assertEquals(64, summary.embeddingLength());
        assertEquals(256, summary.contextSize());
        assertEquals(WorkerTestSupport.tiny().toAbsolutePath().normalize(), summary.path());
        assertTrue(engine.isLoaded());
    }

    @Test
    void greedyGenerationIsTheSameAsTheReferenceEngine() {
        var run = run(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(12)));
        assertEquals(referenceGreedy(PROMPT, 12), run.ids());
    }

    @Test
    void tokenEventsAreNumberedAndFollowedByOneFinished() {
        var run = run(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(6).withTopLogprobs(3)));
        assertEquals(1, run.finished().size());
        assertEquals(run.stats(), run.finished().getFirst().stats());
        assertEquals(run.tokens().size(), run.stats().generatedTokens());
        for (int i = 0; i < run.tokens().size(); i++) {
            var t = run.tokens().get(i);
            assertEquals(i, t.index());
            assertEquals(3, t.top().size());
            assertEquals(1, t.rank(), "greedy picks the most likely token");
            assertTrue(t.logprob() <= 0);
        }
    }

    @Test
    void cancelStopsGenerationWithReasonCancelled() {
        var run = run(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(200)));
        // the fixture may end early on its own; only then is there nothing to cancel
        if (run.stats().stopReason() != StopReason.LENGTH) return;
        var tokens = new ArrayList<GenerationEvent.Token>();
        var stats = engine.generate(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(200)), e -> {
            if (e instanceof GenerationEvent.Token t) {
                tokens.add(t);
                if (t.index() == 2) engine.cancel();
            }
        });
        assertEquals(StopReason.CANCELLED, stats.stopReason());
        assertTrue(tokens.size() >= 3 && tokens.size() < 200, "stopped after " + tokens.size() + " tokens");
        assertEquals(StopReason.LENGTH,
                run(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(2))).stats().stopReason());
    }

    @Test
    void tokenizeAndDetokenizeRoundTrip() {
        List<TokenPiece> pieces = engine.tokenize("Hello world", true, true);
        assertTrue(pieces.getFirst().control(), "BOS comes first");
        var ids = pieces.stream().map(TokenPiece::id).toList();
        assertEquals("Hello world", engine.detokenize(ids, true, false).strip());
        assertEquals(engine.specialTokens().bos(), ids.getFirst());
    }

    @Test
    void afterUnloadGenerationFailsWithNoModelLoaded() {
        engine.unload();
        assertFalse(engine.isLoaded());
        var e = assertThrows(EngineException.class,
                () -> engine.generate(new GenerationRequest(PROMPT, Sampling.GREEDY), _ -> {}));
        assertEquals(Failure.Kind.NO_MODEL_LOADED, e.kind());
    }

    @Test
    void badInputsAreTypedFailures() {
        var missing = assertThrows(EngineException.class, () -> engine.load(
                WorkerTestSupport.hearthHome().resolve("no-such-model.gguf"), WorkerTestSupport.OPTIONS, LoadProgress.NONE));
        assertEquals(Failure.Kind.MODEL_FILE_MISSING, missing.kind());
        engine.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS, LoadProgress.NONE);
        var tooLong = assertThrows(EngineException.class,
                () -> engine.generate(new GenerationRequest("word ".repeat(400), Sampling.GREEDY), _ -> {}));
        assertEquals(Failure.Kind.CONTEXT_FULL, tooLong.kind());
        var badId = assertThrows(EngineException.class, () -> engine.detokenize(List.of(1_000_000), false, false));
        assertEquals(Failure.Kind.INVALID_REQUEST, badId.kind());
        // the engine still works afterwards
        assertEquals(2, run(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(2))).stats().generatedTokens());
    }
}
