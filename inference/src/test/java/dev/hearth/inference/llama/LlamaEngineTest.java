package dev.hearth.inference.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.GenerationStats;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.StopReason;
import dev.hearth.inference.TopToken;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/// The in-process engine on a real fixture model and the real llama.cpp (b4916, or the engine pack: see TestEngine).
class LlamaEngineTest {
    static final String PROMPT = "Hello world, the model";
    static LlamaEngine engine;

    @BeforeAll
    static void load() {
        engine = LlamaEngine.open(TestModels.library());
        engine.load(TestModels.tiny(), LoadOptions.DEFAULT.withThreads(2).withContextSize(256), LoadProgress.NONE);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    record Run(List<GenerationEvent.Token> tokens, GenerationStats stats) {
        String text() {
            var sb = new StringBuilder();
            tokens.forEach(t -> sb.append(t.text()));
            return sb.toString();
        }

        List<Integer> ids() {
            return tokens.stream().map(GenerationEvent.Token::id).toList();
        }
    }

    static Run run(GenerationRequest request) {
        var tokens = new ArrayList<GenerationEvent.Token>();
        var finished = new ArrayList<GenerationEvent.Finished>();
        var stats = engine.generate(request, e -> {
            switch (e) {
                case GenerationEvent.Token t -> tokens.add(t);
                case GenerationEvent.Finished f -> finished.add(f);
            }
        });
        assertEquals(1, finished.size(), "exactly one Finished event");
        assertEquals(stats, finished.getFirst().stats());
        assertEquals(tokens.size(), stats.generatedTokens());
        return new Run(tokens, stats);
    }

    @Test
    void aCancelDuringALongPromptStopsInsideLlamaDecode() {
        // one llama_decode for the whole prompt (batch 256): the cancel arrives while ggml computes its graph.
        var prompt = "one two three four five six seven eight nine ten ".repeat(5);
        int[] calls = {0};
        engine.setAbortProbe(() -> {
            if (calls[0]++ == 0) engine.cancel();
        });
        GenerationStats stats;
        try {
            stats = run(new GenerationRequest(prompt, Sampling.GREEDY.withMaxTokens(4)).withFreshCache(true)).stats();
        } finally {
            engine.setAbortProbe(null);
        }
        assertEquals(StopReason.CANCELLED, stats.stopReason());
        assertEquals(0, stats.generatedTokens());
        assertTrue(stats.promptTokens() > 40, "prompt tokens " + stats.promptTokens());
        // ggml asked once, was told to stop, and asked no more: the graph was abandoned after its first node
        assertEquals(1, calls[0]);
        // the KV cache was not left half-written: the next run is the same as one on a fresh cache
        var again = run(new GenerationRequest(prompt, Sampling.GREEDY.withMaxTokens(4)));
        assertEquals(StopReason.LENGTH, again.stats().stopReason());
        var fresh = run(new GenerationRequest(prompt, Sampling.GREEDY.withMaxTokens(4)).withFreshCache(true));
        assertEquals(fresh.ids(), again.ids());
    }

    @Test
    void greedyOutputIsIdenticalToJavaLlamaCppGenerate() {
        // java-llama.cpp's JNI library is b4916 itself: a comparison for that generation only
        org.junit.jupiter.api.Assumptions.assumeFalse(dev.hearth.inference.TestEngine.onPack(), "b4916 only");
        var ours = run(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(16)));
        // java-llama.cpp loads the same extracted library file instead of a temp copy.
        System.setProperty("de.kherud.llama.lib.path", engine.library().path().getParent().toString());
        var expected = new StringBuilder();
        try (var model = new LlamaModel(new ModelParameters().setModel(TestModels.tiny().toString())
                .setCtxSize(256).setThreads(2))) {
            for (var out : model.generate(new InferenceParameters(PROMPT).setTemperature(0).setNPredict(16)))
                expected.append(out.text);
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected.toString(), ours.text());
    }

    @Test
    void aSeededSampledRunIsIdenticalTwice() {
        var request = new GenerationRequest(PROMPT, Sampling.DEFAULT.withTemperature(1.2).withSeed(1234).withMaxTokens(20));
        var first = run(request);
        var second = run(request);
        assertEquals(first.ids(), second.ids());
        assertEquals(first.text(), second.text());
        var greedy = run(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(20)));
        assertNotEquals(greedy.ids(), first.ids(), "sampling at temperature 1.2 is not greedy decoding");
    }

    @Test
    void reportedTokenStatisticsEqualAnIndependentLogSoftmaxOfTheLogits() {
        var logits = new ArrayList<float[]>();
        engine.setLogitsObserver((_, l) -> logits.add(l));
        Run r;
        try {
            r = run(new GenerationRequest(PROMPT, Sampling.DEFAULT.withSeed(3).withMaxTokens(12).withTopLogprobs(20)));
        } finally {
            engine.setLogitsObserver(null);
        }
        assertEquals(r.tokens().size(), logits.size());
        for (int t = 0; t < logits.size(); t++) {
            float[] x = logits.get(t);
            var tok = r.tokens().get(t);
            double max = Double.NEGATIVE_INFINITY;
            for (float v : x) max = Math.max(max, v);
            double sum = 0;
            for (float v : x) sum += Math.exp(v - max);
            double logZ = max + Math.log(sum);
            double entropy = 0;
            for (float v : x) {
                double lp = v - logZ;
                entropy -= Math.exp(lp) * lp;
            }
            assertEquals(x[tok.id()] - logZ, tok.logprob(), 1e-4, "logprob of token " + t);
            assertEquals(entropy, tok.entropy(), 1e-4, "entropy at token " + t);
            assertTrue(tok.entropy() >= 0 && tok.entropy() <= Math.log(x.length) + 1e-6);
            assertTrue(tok.logprob() <= 0);
            assertTrue(tok.postSamplerProbability() > 0 && tok.postSamplerProbability() <= 1);

            int id = tok.id();
            int expectedRank = 1 + (int) IntStream.range(0, x.length)
                    .filter(i -> x[i] > x[id] || (x[i] == x[id] && i < id)).count();
            assertEquals(expectedRank, tok.rank());

            var expectedTop = IntStream.range(0, x.length).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -x[i]).thenComparing(i -> i)).limit(20).toList();
            var top = tok.top();
            assertEquals(expectedTop, top.stream().map(TopToken::id).toList());
            assertEquals(20, top.stream().map(TopToken::id).distinct().count(), "distinct ids");
            for (int i = 1; i < top.size(); i++) assertTrue(top.get(i - 1).logprob() >= top.get(i).logprob(), "sorted");
            for (var alt : top) assertEquals(x[alt.id()] - logZ, alt.logprob(), 1e-4);
            if (tok.rank() <= top.size()) assertEquals(tok.id(), top.get(tok.rank() - 1).id());
            else assertTrue(top.getLast().logprob() >= tok.logprob());
        }
    }

    @Test
    void greedyTokensAreRankOneWithPostSamplerProbabilityOne() {
        var r = run(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(8).withTopLogprobs(3)));
        for (var t : r.tokens()) {
            assertEquals(1, t.rank());
            assertEquals(t.id(), t.top().getFirst().id());
            assertEquals(1.0, t.postSamplerProbability());
        }
    }

    @Test
    void stopStringsNeverLeakIntoTheOutput() {
        String full = run(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(40))).text();
        assertTrue(full.length() >= 12, "the fixture produces text: " + full);
        String stop = full.substring(8, 11);
        int at = full.indexOf(stop);
        var r = run(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(40).withStop(List.of(stop, "\u0000never"))));
        assertEquals(StopReason.STOP, r.stats().stopReason());
        assertEquals(full.substring(0, at), r.text());
        assertFalse(r.text().contains(stop));
    }

    @Test
    void cancelStopsBeforeTheNextToken() {
        var tokens = new ArrayList<GenerationEvent.Token>();
        var stats = engine.generate(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(100)), e -> {
            if (e instanceof GenerationEvent.Token t) {
                tokens.add(t);
                if (t.index() == 2) engine.cancel();
            }
        });
        assertEquals(StopReason.CANCELLED, stats.stopReason());
        assertEquals(3, tokens.size());
        // the next generation is not affected
        assertEquals(StopReason.LENGTH, run(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(2))).stats().stopReason());
    }

    @Test
    void aFullContextEndsGenerationWithReasonContext() {
        var r = run(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(10_000).withPenalties(1.3, 0, 0, 64)));
        if (r.stats().stopReason() == StopReason.EOS) return; // the fixture may end early; covered by the length
        assertEquals(StopReason.CONTEXT, r.stats().stopReason());
        assertEquals(256, r.stats().promptTokens() + r.stats().generatedTokens() - 1);
    }

    @Test
    void aPromptLongerThanTheContextIsRefusedOrTruncatedFromTheLeft() {
        String longPrompt = "hello world ".repeat(300);
        var e = assertThrows(EngineException.class,
                () -> engine.generate(new GenerationRequest(longPrompt, Sampling.GREEDY.withMaxTokens(4)), _ -> {}));
        assertEquals(Failure.Kind.CONTEXT_FULL, e.kind());
        assertTrue(e.getMessage().contains("context holds 256"), e.getMessage());

        var r = run(new GenerationRequest(longPrompt, Sampling.GREEDY.withMaxTokens(4)).withTruncateLeft(true));
        assertTrue(r.stats().promptTokensDropped() > 0);
        assertEquals(256 - 4, r.stats().promptTokens());
        assertEquals(4, r.stats().generatedTokens());
    }

    @Test
    void aGrammarConstrainsTheOutput() {
        var r = run(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(12).withGrammar("root ::= [a-e]+ \"!\"")));
        assertTrue(r.text().matches("[a-e]+!?"), r.text());
    }

    @Test
    void anInvalidGrammarIsAnInvalidRequest() {
        var e = assertThrows(EngineException.class, () -> engine.generate(
                new GenerationRequest(PROMPT, Sampling.GREEDY.withGrammar("root ::= \"a\" undefined-rule")), _ -> {}));
        assertEquals(Failure.Kind.INVALID_REQUEST, e.kind());
    }

    @Test
    void aJsonSchemaConstrainsTheOutputAndABadSchemaIsRefusedWithoutKillingTheJvm() {
        var r = run(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(30)
                .withJsonSchema("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},\"required\":[\"a\"]}")));
        assertTrue(r.text().startsWith("{"), r.text());
        var e = assertThrows(EngineException.class, () -> engine.generate(
                new GenerationRequest(PROMPT, Sampling.GREEDY.withJsonSchema("{\"type\":\"nonsense\"}")), _ -> {}));
        assertEquals(Failure.Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("Unrecognized schema"), e.getMessage());
    }

    @Test
    void tokenizeAndDetokenizeRoundTripWithSpecialTokens() {
        var pieces = engine.tokenize("Hello world", true, true);
        var special = engine.specialTokens();
        assertEquals(special.bos(), pieces.getFirst().id());
        assertTrue(pieces.getFirst().control());
        var ids = pieces.stream().map(p -> p.id()).toList();
        assertEquals("Hello world", engine.detokenize(ids, true, false).strip());
        assertTrue(special.endOfGeneration().contains(special.eos()));
        var noBos = engine.tokenize("Hello world", false, false);
        assertEquals(pieces.size() - 1, noBos.size());
    }

    @Test
    void theSummaryDescribesTheLoadedModel() {
        var s = engine.summary();
        assertEquals("llama", s.architecture());
        assertEquals(2, s.layers());
        assertEquals(64, s.embeddingLength());
        assertEquals(256, s.contextSize());
        assertEquals(512, s.trainingContext());
        assertTrue(s.vocabularySize() >= 300);
    }

    @Test
    void capabilitiesListTheCpuDevice() {
        var caps = engine.capabilities();
        assertEquals(dev.hearth.inference.TestEngine.onPack() ? "v0.5.0" : "b4916", caps.libraryBuild());
        assertTrue(caps.devices().stream().anyMatch(d -> d.kind() == dev.hearth.inference.Device.Kind.CPU));
        assertTrue(caps.mmap());
    }
}
