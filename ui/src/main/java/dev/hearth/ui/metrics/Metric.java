package dev.hearth.ui.metrics;

import dev.hearth.storage.ThroughputRow;

/// What the chart plots.
public enum Metric {
    GENERATION("Generation tok/s"),
    PROMPT("Prompt tok/s"),
    TTFT("Time to first token (ms)");

    private final String label;

    Metric(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /// The median of this figure in `row`; `NaN` when no generation of the row has it.
    public double median(ThroughputRow row) {
        return switch (this) {
            case GENERATION -> row.tokensPerSecondMedian();
            case PROMPT -> row.promptTokensPerSecondMedian();
            case TTFT -> row.ttftMsMedian();
        };
    }

    public double p90(ThroughputRow row) {
        return switch (this) {
            case GENERATION -> row.tokensPerSecondP90();
            case PROMPT -> row.promptTokensPerSecondP90();
            case TTFT -> row.ttftMsP90();
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
