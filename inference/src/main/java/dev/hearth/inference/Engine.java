package dev.hearth.inference;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/// One engine holds at most one loaded model and runs one generation at a time. It is implemented in-process
/// (over llama.cpp's C API) and, later, by a client of an engine worker process; both behave the same.
/// Every method reports failures as [EngineException] with a [Failure.Kind].
public interface Engine extends AutoCloseable {

    /// The native library's build, devices and features.
    EngineCapabilities capabilities();

    /// Loads a model (unloading any loaded one first). The file is validated before llama.cpp sees it.
    /// `progress` is called from the loading thread; returning false cancels with `LOAD_CANCELLED`.
    ModelSummary load(Path model, LoadOptions options, LoadProgress progress);

    /// Frees the loaded model and its context; does nothing when none is loaded.
    void unload();

    /// Whether a model is loaded.
    boolean isLoaded();

    /// Generates a continuation of a raw prompt, blocking until it ends. `events` gets one
    /// [GenerationEvent.Token] per token and then a [GenerationEvent.Finished], on the calling thread.
    /// A cancelled generation ends normally with stop reason `CANCELLED`.
    GenerationStats generate(GenerationRequest request, Consumer<? super GenerationEvent> events);

    /// Continues exact token ids rather than text. This is how a branch is made: the prompt's ids, the ids
    /// generated before position i, then an alternative from position i's top list; the continuation streams as
    /// in [#generate]. Like [#generate], it evaluates only the tokens after the longest prefix the KV cache
    /// already holds (so a branch evaluates just the alternative token).
    default GenerationStats generateTokens(List<Integer> tokens, Sampling sampling, boolean tokenStats,
            Consumer<? super GenerationEvent> events) {
        return generateTokens("", tokens, sampling, tokenStats, events);
    }

    /// [#generateTokens(List, Sampling, boolean, Consumer)] in conversation `conversation` (see
    /// [GenerationRequest#conversation()]).
    default GenerationStats generateTokens(String conversation, List<Integer> tokens, Sampling sampling,
            boolean tokenStats, Consumer<? super GenerationEvent> events) {
        throw new EngineException(Failure.Kind.INVALID_REQUEST, getClass().getSimpleName() + " cannot continue token ids");
    }

    /// llama.cpp's own counters of the loaded context: how many tokens it has evaluated so far. A generation keeps
    /// the KV cache's common prefix with the previous one (a chat's earlier turns), which these counters show.
    default EvalCounters evalCounters() {
        throw new EngineException(Failure.Kind.INVALID_REQUEST, getClass().getSimpleName() + " has no counters");
    }

    /// Asks the running generation (or load) to stop; it stops before the next token. Safe from any thread.
    void cancel();

    /// Tokenizes text with the loaded model's vocabulary.
    ///
    /// @param addSpecial add BOS/EOS as the model asks for
    /// @param parseSpecial turn special-token text such as `<s>` into the special token
    List<TokenPiece> tokenize(String text, boolean addSpecial, boolean parseSpecial);

    /// Turns token ids back into text.
    String detokenize(List<Integer> ids, boolean removeSpecial, boolean unparseSpecial);

    /// The loaded model's special tokens.
    SpecialTokens specialTokens();

    /// Unloads and releases everything; idempotent.
    @Override
    void close();
}
