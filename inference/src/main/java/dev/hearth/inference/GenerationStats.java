package dev.hearth.inference;

/// Timings and counts of one generation. Times are wall-clock milliseconds measured around llama.cpp calls.
///
/// @param promptTokens tokens evaluated for the prompt
/// @param promptTokensDropped tokens dropped from the prompt's start to make it fit (left truncation)
/// @param promptMs time to evaluate the prompt
/// @param generatedTokens tokens sampled (an end-of-generation token counts)
/// @param generationMs time from the first sampled token to the last
/// @param timeToFirstTokenMs time from the request to the first sampled token
/// @param stopReason why it ended
public record GenerationStats(
        int promptTokens,
        int promptTokensDropped,
        double promptMs,
        int generatedTokens,
        double generationMs,
        double timeToFirstTokenMs,
        StopReason stopReason) {

    /// Prompt tokens per second.
    public double promptTokensPerSecond() {
        return promptMs > 0 ? promptTokens * 1000.0 / promptMs : 0;
    }

    /// Generated tokens per second after the first one (each needs one decode), as llama-bench's tg.
    public double generationTokensPerSecond() {
        return generatedTokens > 1 && generationMs > 0 ? (generatedTokens - 1) * 1000.0 / generationMs : 0;
    }
}
