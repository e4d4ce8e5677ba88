package dev.hearth.inference;

/// llama.cpp's performance counters of a context (`llama_perf_context`), cumulative since it was created.
///
/// @param promptTokens tokens evaluated in batches of more than one token (prompts)
/// @param generationTokens tokens evaluated one at a time (generation)
/// @param promptMs llama.cpp's time for the prompt batches
/// @param generationMs llama.cpp's time for the single-token evaluations
public record EvalCounters(int promptTokens, int generationTokens, double promptMs, double generationMs) {

    /// Every token evaluated.
    public int totalTokens() {
        return promptTokens + generationTokens;
    }

    /// The counts since `earlier`.
    public EvalCounters since(EvalCounters earlier) {
        return new EvalCounters(promptTokens - earlier.promptTokens, generationTokens - earlier.generationTokens,
                promptMs - earlier.promptMs, generationMs - earlier.generationMs);
    }
}
