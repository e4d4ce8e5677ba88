package dev.hearth.inference;

import java.util.List;
import org.jspecify.annotations.Nullable;

/// Sampling parameters, applied through llama.cpp's own sampler chain in llama.cpp's order:
/// grammar, penalties, top-k, typical-p, top-p, min-p, temperature, then a seeded draw.
/// A temperature of 0 means greedy decoding (penalties and grammar still apply).
///
/// @param temperature 0 (greedy) or more
/// @param topK keep the K most likely tokens; 0 disables
/// @param topP nucleus sampling, (0, 1]; 1 disables
/// @param minP drop tokens below minP × the best probability, [0, 1]; 0 disables
/// @param typicalP locally typical sampling, (0, 1]; 1 disables
/// @param repeatPenalty penalty for tokens seen in the last [#repeatLastN()] tokens; 1 disables
/// @param frequencyPenalty subtracted per occurrence; 0 disables
/// @param presencePenalty subtracted once per seen token; 0 disables
/// @param repeatLastN how many recent tokens the penalties look at; -1 means the whole context
/// @param seed seed of the draw; [#RANDOM_SEED] picks a random one
/// @param maxTokens the most tokens to generate, >= 1
/// @param stop strings that end generation; they never appear in the output
/// @param grammar a GBNF grammar the output must follow, or null
/// @param jsonSchema a JSON schema the output must follow (converted to a grammar), or null
/// @param topLogprobs how many alternatives to report per token, 0..20
public record Sampling(
        double temperature,
        int topK,
        double topP,
        double minP,
        double typicalP,
        double repeatPenalty,
        double frequencyPenalty,
        double presencePenalty,
        int repeatLastN,
        long seed,
        int maxTokens,
        List<String> stop,
        @Nullable String grammar,
        @Nullable String jsonSchema,
        int topLogprobs) {

    /// The seed value that asks llama.cpp for a random seed.
    public static final long RANDOM_SEED = 0xFFFF_FFFFL;
    public static final int MAX_TOP_LOGPROBS = 20;
    /// llama.cpp's defaults (temperature 0.8, top-k 40, top-p 0.95, min-p 0.05), 256 tokens.
    public static final Sampling DEFAULT =
            new Sampling(0.8, 40, 0.95, 0.05, 1.0, 1.0, 0.0, 0.0, 64, RANDOM_SEED, 256, List.of(), null, null, 0);
    /// Greedy decoding: always the most likely token.
    public static final Sampling GREEDY = DEFAULT.withTemperature(0);

    public Sampling {
        check(Double.isFinite(temperature) && temperature >= 0, "temperature must be >= 0, got " + temperature);
        check(temperature <= 100, "temperature must be <= 100, got " + temperature);
        check(topK >= 0, "top-k must be >= 0, got " + topK);
        check(topP > 0 && topP <= 1, "top-p must be in (0, 1], got " + topP);
        check(minP >= 0 && minP <= 1, "min-p must be in [0, 1], got " + minP);
        check(typicalP > 0 && typicalP <= 1, "typical-p must be in (0, 1], got " + typicalP);
        check(Double.isFinite(repeatPenalty) && repeatPenalty > 0, "repeat penalty must be > 0, got " + repeatPenalty);
        check(Double.isFinite(frequencyPenalty), "frequency penalty must be finite");
        check(Double.isFinite(presencePenalty), "presence penalty must be finite");
        check(repeatLastN >= -1, "repeat last-n must be >= -1, got " + repeatLastN);
        check(seed >= 0 && seed <= RANDOM_SEED, "seed must be 0.." + RANDOM_SEED + ", got " + seed);
        check(maxTokens >= 1, "max tokens must be >= 1, got " + maxTokens);
        check(stop != null, "stop strings must not be null");
        stop = List.copyOf(stop);
        for (String s : stop) check(!s.isEmpty(), "a stop string must not be empty");
        check(grammar == null || jsonSchema == null, "give a grammar or a JSON schema, not both");
        check(grammar == null || !grammar.isBlank(), "the grammar is empty");
        check(jsonSchema == null || !jsonSchema.isBlank(), "the JSON schema is empty");
        check(topLogprobs >= 0 && topLogprobs <= MAX_TOP_LOGPROBS,
                "top-logprobs must be 0.." + MAX_TOP_LOGPROBS + ", got " + topLogprobs);
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    /// Whether this samples greedily (temperature 0).
    public boolean greedy() {
        return temperature == 0;
    }

    public Sampling withTemperature(double t) {
        return new Sampling(t, topK, topP, minP, typicalP, repeatPenalty, frequencyPenalty, presencePenalty,
                repeatLastN, seed, maxTokens, stop, grammar, jsonSchema, topLogprobs);
    }

    public Sampling withTopK(int k) {
        return new Sampling(temperature, k, topP, minP, typicalP, repeatPenalty, frequencyPenalty, presencePenalty,
                repeatLastN, seed, maxTokens, stop, grammar, jsonSchema, topLogprobs);
    }

    public Sampling withTopP(double p) {
        return new Sampling(temperature, topK, p, minP, typicalP, repeatPenalty, frequencyPenalty, presencePenalty,
                repeatLastN, seed, maxTokens, stop, grammar, jsonSchema, topLogprobs);
    }

    public Sampling withMinP(double p) {
        return new Sampling(temperature, topK, topP, p, typicalP, repeatPenalty, frequencyPenalty, presencePenalty,
                repeatLastN, seed, maxTokens, stop, grammar, jsonSchema, topLogprobs);
    }

    public Sampling withTypicalP(double p) {
        return new Sampling(temperature, topK, topP, minP, p, repeatPenalty, frequencyPenalty, presencePenalty,
                repeatLastN, seed, maxTokens, stop, grammar, jsonSchema, topLogprobs);
    }

    public Sampling withPenalties(double repeat, double frequency, double presence, int lastN) {
        return new Sampling(temperature, topK, topP, minP, typicalP, repeat, frequency, presence, lastN, seed,
                maxTokens, stop, grammar, jsonSchema, topLogprobs);
    }

    public Sampling withSeed(long s) {
        return new Sampling(temperature, topK, topP, minP, typicalP, repeatPenalty, frequencyPenalty, presencePenalty,
                repeatLastN, s, maxTokens, stop, grammar, jsonSchema, topLogprobs);
    }

    public Sampling withMaxTokens(int n) {
        return new Sampling(temperature, topK, topP, minP, typicalP, repeatPenalty, frequencyPenalty, presencePenalty,
                repeatLastN, seed, n, stop, grammar, jsonSchema, topLogprobs);
    }

    public Sampling withStop(List<String> strings) {
        return new Sampling(temperature, topK, topP, minP, typicalP, repeatPenalty, frequencyPenalty, presencePenalty,
                repeatLastN, seed, maxTokens, strings, grammar, jsonSchema, topLogprobs);
    }

    public Sampling withGrammar(@Nullable String gbnf) {
        return new Sampling(temperature, topK, topP, minP, typicalP, repeatPenalty, frequencyPenalty, presencePenalty,
                repeatLastN, seed, maxTokens, stop, gbnf, null, topLogprobs);
    }

    public Sampling withJsonSchema(@Nullable String schema) {
        return new Sampling(temperature, topK, topP, minP, typicalP, repeatPenalty, frequencyPenalty, presencePenalty,
                repeatLastN, seed, maxTokens, stop, null, schema, topLogprobs);
    }

    public Sampling withTopLogprobs(int k) {
        return new Sampling(temperature, topK, topP, minP, typicalP, repeatPenalty, frequencyPenalty, presencePenalty,
                repeatLastN, seed, maxTokens, stop, grammar, jsonSchema, k);
    }
}
