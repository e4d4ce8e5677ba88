package dev.hearth.inference.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

    static synchronized List<Integer> referenceGreedyTokens(List<Integer> tokens, int maxTokens) {
        try (var reference = LlamaEngine.open(WorkerTestSupport.library())) {
            reference.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS, LoadProgress.NONE);
            var ids = new ArrayList<Integer>();
            reference.generateTokens(tokens, Sampling.GREEDY.withMaxTokens(maxTokens), false, e -> {
                if (e instanceof GenerationEvent.Token t) ids.add(t.id());
            });
            return ids;
        }
    }

    Run runTokens(List<Integer> tokens, Sampling sampling) {
        return runTokens("", tokens, sampling);
    }

    Run runTokens(String conversation, List<Integer> tokens, Sampling sampling) {
        var list = new ArrayList<GenerationEvent.Token>();
        var finished = new ArrayList<GenerationEvent.Finished>();
        var stats = engine.generateTokens(conversation, tokens, sampling, true, e -> {
            switch (e) {
                case GenerationEvent.Token t -> list.add(t);
                case GenerationEvent.Finished f -> finished.add(f);
            }
        });
        return new Run(list, finished, stats);
    }

    List<Integer> ids(String text, boolean bos) {
        return engine.tokenize(text, bos, true).stream().map(TokenPiece::id).toList();
    }

    @Test
    void aLoadCancelledByItsProgressListenerLeavesNoModelAndTheNextLoadWorks() {
        engine.unload();
        var fractions = new ArrayList<Float>();
        var e = assertThrows(EngineException.class, () -> engine.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS,
                fraction -> {
                    fractions.add(fraction);
                    return false;
                }));
        assertEquals(Failure.Kind.LOAD_CANCELLED, e.kind());
        assertFalse(fractions.isEmpty(), "the listener was asked");
        assertFalse(engine.isLoaded());
        var noModel = assertThrows(EngineException.class, () -> run(new GenerationRequest(PROMPT, Sampling.GREEDY)));
        assertEquals(Failure.Kind.NO_MODEL_LOADED, noModel.kind());
        engine.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS, LoadProgress.NONE);
        assertEquals(StopReason.LENGTH, run(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(2))).stats().stopReason());
    }

    @Test
    void aNewTurnReusesTheCacheEvenWhenTheAnswerWouldTokenizeDifferently() {
        engine.unload();
        engine.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS.withContextSize(512), LoadProgress.NONE);
        var turn1 = "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nq1<|im_end|>\n<|im_start|>assistant\n";
        var sampling = Sampling.GREEDY.withMaxTokens(12).withStop(List.of());
        var first = run(new GenerationRequest(turn1, sampling));
        assertEquals(StopReason.LENGTH, first.stats().stopReason());
        var answer = new StringBuilder();
        first.tokens().forEach(t -> answer.append(t.text()));
        var asGenerated = new ArrayList<>(ids(turn1, true));
        asGenerated.addAll(first.ids());
        // the premise: the answer's text tokenizes to other tokens than the model produced (here it even holds a
        // byte token that is not valid UTF-8 on its own)
        assertNotEquals(asGenerated, ids(turn1 + answer, true));
        var rest = "<|im_end|>\n<|im_start|>user\nq2<|im_end|>\n<|im_start|>assistant\n";
        var before = engine.evalCounters();
        var second = run(new GenerationRequest(turn1 + answer + rest, sampling));
        var used = engine.evalCounters().since(before);
        // only the new turn, and the answer's last token (sampled, never evaluated), per llama.cpp's counters
        assertEquals(ids(rest, false).size() + 1, used.promptTokens());
        assertEquals(asGenerated.size() + ids(rest, false).size(), second.stats().promptTokens());
    }

    @Test
    void turnNOfATenTurnChatEvaluatesOnlyTurnNsTokens() {
        engine.unload();
        engine.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS.withContextSize(512), LoadProgress.NONE);
        var conversation = new ArrayList<>(ids("<|im_start|>system\nBe brief.<|im_end|>\n", true));
        int lastAnswerToken = -1;
        for (int turn = 1; turn <= 10; turn++) {
            var turnTokens = ids("<|im_start|>user\nq" + turn + "<|im_end|>\n<|im_start|>assistant\n", false);
            conversation.addAll(turnTokens);
            var before = engine.evalCounters();
            var answer = runTokens(conversation, Sampling.GREEDY.withMaxTokens(3).withStop(List.of()));
            var used = engine.evalCounters().since(before);
            // the previous answer's last token was sampled but never evaluated, so it comes with this turn
            int expected = turnTokens.size() + (lastAnswerToken >= 0 ? 1 : 0);
            if (turn == 1) expected = conversation.size();
            assertEquals(expected, used.promptTokens(), "prompt tokens evaluated in turn " + turn);
            assertEquals(answer.stats().generatedTokens() - 1, used.generationTokens(), "turn " + turn);
            assertTrue(turn == 1 || used.promptTokens() < conversation.size() / 2);
            conversation.addAll(answer.ids());
            lastAnswerToken = answer.ids().getLast();
        }
    }

    @Test
    void twoInterleavedConversationsEachEvaluateOnlyTheirNewTokensAndAnswerLikeFreshRuns() {
        engine.unload();
        engine.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS.withContextSize(512), LoadProgress.NONE);
        var sampling = Sampling.GREEDY.withMaxTokens(3).withStop(List.of());
        var chats = new java.util.LinkedHashMap<String, List<Integer>>();
        chats.put("a", new ArrayList<>(ids("<|im_start|>system\nBe brief.<|im_end|>\n", true)));
        chats.put("b", new ArrayList<>(ids("<|im_start|>system\nAnswer in French, please.<|im_end|>\n", true)));
        for (int turn = 1; turn <= 3; turn++) {
            for (var chat : chats.entrySet()) {
                var conversation = chat.getValue();
                var turnTokens = ids("<|im_start|>user\nq" + turn + chat.getKey() + "<|im_end|>\n<|im_start|>assistant\n",
                        false);
                conversation.addAll(turnTokens);
                var before = engine.evalCounters();
                var answer = runTokens(chat.getKey(), conversation, sampling);
                var used = engine.evalCounters().since(before);
                // the other conversation ran in between; this one's earlier turns are still not evaluated again (the
                // previous answer's last token was sampled, never evaluated, so it comes with this turn)
                int expected = turn == 1 ? conversation.size() : turnTokens.size() + 1;
                assertEquals(expected, used.promptTokens(), "prompt tokens of " + chat.getKey() + " in turn " + turn);
                var fresh = runTokens("fresh " + chat.getKey() + turn, conversation, sampling);
                assertEquals(fresh.ids(), answer.ids(), chat.getKey() + " turn " + turn);
                conversation.addAll(answer.ids());
            }
        }
    }

    static final String TURN1 = "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nq1<|im_end|>\n<|im_start|>assistant\n";
    static final String TURN2 = "<|im_end|>\n<|im_start|>user\nq2<|im_end|>\n<|im_start|>assistant\n";

    @Test
    void anAnswerCutByAStopStringKeepsItsTokensForTheNextTurn() {
        engine.unload();
        engine.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS.withContextSize(512), LoadProgress.NONE);
        var whole = run(new GenerationRequest(TURN1, Sampling.GREEDY.withMaxTokens(12).withStop(List.of()))
                .withFreshCache(true));
        // the stop string: the text of the last token that starts where its text first appears in the answer
        var texts = whole.tokens().stream().map(GenerationEvent.Token::text).toList();
        int at = -1;
        for (int i = texts.size() - 1; i > 0 && at < 0; i--) {
            var prefix = String.join("", texts.subList(0, i));
            if (!texts.get(i).isEmpty() && !texts.get(i).contains("\uFFFD")
                    && (prefix + texts.get(i)).indexOf(texts.get(i)) == prefix.length())
                at = i;
        }
        assertTrue(at > 0, "no token to stop at in " + texts);
        var answer = String.join("", texts.subList(0, at));
        var cut = run(new GenerationRequest(TURN1, Sampling.GREEDY.withMaxTokens(12).withStop(List.of(texts.get(at))))
                .inConversation("stopped"));
        assertEquals(StopReason.STOP, cut.stats().stopReason());
        assertEquals(answer, String.join("", cut.tokens().stream().map(GenerationEvent.Token::text).toList()));
        var asGenerated = new ArrayList<>(ids(TURN1, true));
        asGenerated.addAll(whole.ids().subList(0, at));
        // the premise: the cut answer's text tokenizes to other tokens than the model produced
        assertNotEquals(asGenerated, ids(TURN1 + answer, true));
        var before = engine.evalCounters();
        var next = run(new GenerationRequest(TURN1 + answer + TURN2, Sampling.GREEDY.withMaxTokens(2))
                .inConversation("stopped"));
        var used = engine.evalCounters().since(before);
        // the answer's tokens before the stop string are in the KV cache and were kept: only the new turn is evaluated
        assertEquals(ids(TURN2, false).size(), used.promptTokens());
        assertEquals(asGenerated.size() + ids(TURN2, false).size(), next.stats().promptTokens());
    }

    @Test
    void aCancelledAnswerKeepsItsTokensForTheNextTurn() {
        engine.unload();
        engine.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS.withContextSize(512), LoadProgress.NONE);
        var answer = new StringBuilder();
        var asGenerated = new ArrayList<>(ids(TURN1, true));
        var stats = engine.generate(new GenerationRequest(TURN1, Sampling.GREEDY.withMaxTokens(200).withStop(List.of())),
                e -> {
                    if (e instanceof GenerationEvent.Token t) {
                        answer.append(t.text());
                        asGenerated.add(t.id());
                        if (t.index() == 4) engine.cancel();
                    }
                });
        if (stats.stopReason() != StopReason.CANCELLED) return; // the fixture ended on its own first
        // the premise: the answer's text tokenizes to other tokens than the model produced
        assertNotEquals(asGenerated, ids(TURN1 + answer, true));
        var before = engine.evalCounters();
        run(new GenerationRequest(TURN1 + answer + TURN2, Sampling.GREEDY.withMaxTokens(2)));
        var used = engine.evalCounters().since(before);
        assertEquals(ids(TURN2, false).size(), used.promptTokens());
    }

    @Test
    void aCancelDuringALongPromptStopsBeforeMostOfItIsEvaluated() throws Exception {
        engine.unload();
        engine.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS.withContextSize(4096).withBatch(32, 32),
                LoadProgress.NONE);
        var prompt = new ArrayList<Integer>();
        var words = ids("one two three four five six seven eight nine ten ", false);
        while (prompt.size() < 3000) prompt.addAll(words);
        var before = engine.evalCounters();
        var result = new java.util.concurrent.CompletableFuture<GenerationStats>();
        var thread = Thread.ofPlatform().start(() -> {
            try {
                result.complete(runTokens(prompt, Sampling.GREEDY.withMaxTokens(4)).stats());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        // cancel until the generation returns (a cancel that arrives before it starts is forgotten when it starts)
        while (!result.isDone()) {
            engine.cancel();
            Thread.sleep(20);
        }
        thread.join();
        var stats = result.get();
        var used = engine.evalCounters().since(before);
        assertEquals(StopReason.CANCELLED, stats.stopReason());
        assertEquals(0, stats.generatedTokens());
        assertTrue(used.promptTokens() < prompt.size() / 2, "evaluated " + used.promptTokens() + " of " + prompt.size());
        engine.unload(); // the other tests load their own small context
    }

    @Test
    void regeneratingAfterAnEditEvaluatesFromTheFirstChangedToken() {
        var first = ids("Hello world, the model reads a long prompt about the weather", true);
        var edited = ids("Hello world, the model reads a long prompt about the garden", true);
        int common = 0;
        while (first.get(common).equals(edited.get(common))) common++;
        runTokens(first, Sampling.GREEDY.withMaxTokens(2));
        var before = engine.evalCounters();
        runTokens(edited, Sampling.GREEDY.withMaxTokens(2));
        var used = engine.evalCounters().since(before);
        assertEquals(edited.size() - common, used.promptTokens());
    }

    @Test
    void aRepeatedPromptReusesTheCacheUnlessAFreshCacheIsAsked() {
        var request = new GenerationRequest("Hello world, the model reads a prompt twice", Sampling.GREEDY.withMaxTokens(2));
        int promptTokens = run(request).stats().promptTokens();
        var before = engine.evalCounters();
        run(request);
        var reused = engine.evalCounters().since(before);
        before = engine.evalCounters();
        run(request.withFreshCache(true));
        var fresh = engine.evalCounters().since(before);
        assertEquals(promptTokens, fresh.promptTokens());
        // Reused, only the prompt's last token is evaluated again (for fresh logits); llama.cpp counts that single
        // token as generation, so compare the totals.
        assertEquals(fresh.totalTokens() - (promptTokens - 1), reused.totalTokens());
    }

    @Test
    void aBranchContinuesLikeAFreshRunWithTheSamePrefixAndToken() {
        var prompt = ids(PROMPT, true);
        var original = runTokens(prompt, Sampling.GREEDY.withMaxTokens(8).withTopLogprobs(3).withStop(List.of()));
        int at = 3;
        assertTrue(original.tokens().size() > at);
        int alternative = original.tokens().get(at).top().get(1).id(); // the second most likely token at position 3
        var branchTokens = new ArrayList<>(prompt);
        branchTokens.addAll(original.ids().subList(0, at));
        branchTokens.add(alternative);

        var before = engine.evalCounters();
        var branch = runTokens(branchTokens, Sampling.GREEDY.withMaxTokens(5).withStop(List.of()));
        var used = engine.evalCounters().since(before);
        assertEquals(1 + branch.stats().generatedTokens() - 1, used.totalTokens(),
                "only the alternative token is evaluated before the branch's own tokens");
        assertEquals(referenceGreedyTokens(branchTokens, 5), branch.ids());
        // the original line is intact: continuing it again gives the same tokens
        var again = runTokens(prompt, Sampling.GREEDY.withMaxTokens(8).withStop(List.of()));
        assertEquals(original.ids(), again.ids());
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
