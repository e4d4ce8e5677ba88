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

    @Option(names = "--typical-p", paramLabel = "P", defaultValue = "1.0", description = "Locally typical sampling, (0, 1]; 1 disables (default: ${DEFAULT-VALUE}).")
    double typicalP;

    @Option(names = "--frequency-penalty", paramLabel = "F", defaultValue = "0.0", description = "Subtracted per earlier occurrence of a token; 0 disables (default: ${DEFAULT-VALUE}).")
    double frequencyPenalty;

    @Option(names = "--presence-penalty", paramLabel = "P", defaultValue = "0.0", description = "Subtracted once from every token seen before; 0 disables (default: ${DEFAULT-VALUE}).")
    double presencePenalty;

    @Option(names = "--repeat-last-n", paramLabel = "N", defaultValue = "64", description = "Tokens the penalties look back over; 0 disables, -1 = the whole context (default: ${DEFAULT-VALUE}).")
    int repeatLastN;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for sampling, 0..4294967295 (default: random).")
    @Nullable Long seed;

    /// These options over [Sampling#DEFAULT]. Without `--seed` a seed is drawn here rather than in llama.cpp, so a
    /// session-log record names the seed that was used. Out-of-range values are one CLI line (exit 2).
    Sampling sampling(int maxTokens) {
        try {
            return Sampling.DEFAULT.withMaxTokens(maxTokens).withTemperature(temperature).withTopK(topK).withTopP(topP)
                    .withMinP(minP).withTypicalP(typicalP)
                    .withPenalties(repeatPenalty, frequencyPenalty, presencePenalty, repeatLastN)
                    .withSeed(seed != null ? seed : ThreadLocalRandom.current().nextLong(Sampling.RANDOM_SEED));
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage(), 2);
        }
    }
}
