package dev.hearth.storage;

/// Timings of a finished (or interrupted) generation.
///
/// @param promptTokens          tokens evaluated for the prompt
/// @param promptMs              milliseconds spent on the prompt
/// @param generatedTokens       tokens generated
/// @param generatedMs           milliseconds spent generating
/// @param tokensPerSecond       generation speed
/// @param promptTokensPerSecond prompt evaluation speed
/// @param ttftMs                time to first token, milliseconds
public record GenerationStats(
        int promptTokens,
        double promptMs,
        int generatedTokens,
        double generatedMs,
        double tokensPerSecond,
        double promptTokensPerSecond,
        double ttftMs) {
    public GenerationStats {
        if (promptTokens < 0 || generatedTokens < 0) throw new IllegalArgumentException("token counts < 0");
    }
}
