package dev.hearth.storage;

import java.util.List;

/// One generated token and what the sampler knew about it.
///
/// @param index   position in the generation, from 0
/// @param id      vocabulary id
/// @param piece   the token's text (may be a partial UTF-8 sequence rendered as replacement characters)
/// @param logprob natural log-probability of the chosen token; `NaN` when unknown
/// @param rank    rank of the chosen token among the candidates (0 = most likely); -1 when unknown
/// @param entropy entropy of the distribution in nats; `NaN` when unknown
/// @param ms      milliseconds from the start of the generation to this token
/// @param top     the top-K alternatives, most likely first (may be empty)
public record Token(int index, int id, String piece, float logprob, int rank, float entropy, float ms, List<TopToken> top) {
    public Token {
        if (index < 0) throw new IllegalArgumentException("token index < 0: " + index);
        if (id < 0) throw new IllegalArgumentException("token id < 0: " + id);
        if (rank < -1) throw new IllegalArgumentException("token rank < -1: " + rank);
        top = List.copyOf(top);
    }
}
