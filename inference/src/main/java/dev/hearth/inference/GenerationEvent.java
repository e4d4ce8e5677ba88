package dev.hearth.inference;

import java.util.List;

/// What a generation reports: one [Token] per sampled token, then one [Finished].
public sealed interface GenerationEvent {

    /// One sampled token.
    ///
    /// `logprob`, `rank`, `entropy` and `top` describe the model's distribution at this position: the softmax
    /// of the RAW logits, i.e. before penalties, temperature, grammar and truncation. `postSamplerProbability`
    /// is the token's probability in the distribution the final draw used (after the whole chain; 1 for greedy).
    ///
    /// @param index 0-based position in the generated sequence
    /// @param id token id
    /// @param text the text this token releases: UTF-8 safe (a character split over tokens comes out whole with
    ///        the token that completes it) and held back while it may be the start of a stop string
    /// @param logprob natural log of the token's probability under the raw logits
    /// @param rank 1-based rank of the token under the raw logits (1 = most likely)
    /// @param entropy entropy of the raw distribution in nats, >= 0
    /// @param top the most likely tokens, best first, as many as asked for
    /// @param postSamplerProbability probability after the sampler chain, NaN when unknown
    /// @param elapsedMs time since the previous token (or since the prompt was evaluated)
    record Token(
            int index,
            int id,
            String text,
            double logprob,
            int rank,
            double entropy,
            List<TopToken> top,
            double postSamplerProbability,
            double elapsedMs)
            implements GenerationEvent {
        public Token {
            top = List.copyOf(top);
        }
    }

    /// The end of a generation.
    record Finished(StopReason reason, GenerationStats stats) implements GenerationEvent {}
}
