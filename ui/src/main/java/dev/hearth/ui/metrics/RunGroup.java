package dev.hearth.ui.metrics;

import org.jspecify.annotations.Nullable;

/// A row of the runs table: all finished generations of one model (and parameter set).
///
/// @param params            the parameter set, compact (`temperature 0.8, topK 40`), or null when not grouped by it
/// @param ceilingTokensPerSecond bandwidth ÷ the model's weight bytes; `NaN` when the bandwidth or the model file
///                          is unknown
public record RunGroup(
        String model,
        @Nullable String params,
        int runs,
        double tokensPerSecondMedian,
        double tokensPerSecondP90,
        double promptTokensPerSecondMedian,
        double promptTokensPerSecondP90,
        double ttftMsMedian,
        double ttftMsP90,
        double ceilingTokensPerSecond) {

    /// Median generation speed as a share of the ceiling (0.42 = 42 %); `NaN` when either is unknown.
    public double efficiency() {
        return tokensPerSecondMedian / ceilingTokensPerSecond;
    }
}
