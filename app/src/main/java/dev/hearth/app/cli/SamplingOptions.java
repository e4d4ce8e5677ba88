package dev.hearth.app.cli;

import dev.hearth.inference.Sampling;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/// The sampling options `hearth run` and `hearth chat` share (a picocli mixin).
final class SamplingOptions {
    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8", description = "0 = greedy (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "40", description = "0 disables (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "0.95", description = "1 disables (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--min-p", paramLabel = "P", defaultValue = "0.05", description = "0 disables (default: ${DEFAULT-VALUE}).")
    double minP;

    @Option(names = "--repeat-penalty", paramLabel = "R", defaultValue = "1.0", description = "1 disables (default: ${DEFAULT-VALUE}).")
    double repeatPenalty;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for sampling, 0..4294967295 (default: random).")
    @Nullable Long seed;

    /// These options over [Sampling#DEFAULT]. Without `--seed` a seed is drawn here rather than in llama.cpp, so a
    /// session-log record names the seed that was used. Out-of-range values are one CLI line (exit 2).
    Sampling sampling(int maxTokens) {
        try {
            return Sampling.DEFAULT.withMaxTokens(maxTokens).withTemperature(temperature).withTopK(topK).withTopP(topP)
                    .withMinP(minP).withPenalties(repeatPenalty, 0, 0, 64)
                    .withSeed(seed != null ? seed : ThreadLocalRandom.current().nextLong(Sampling.RANDOM_SEED));
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage(), 2);
        }
    }
}
