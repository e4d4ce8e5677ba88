package dev.hearth.storage;

/// One alternative the sampler saw at a position: token id, its text and its log-probability.
public record TopToken(int id, String text, float logprob) {
    public TopToken {
        if (id < 0) throw new IllegalArgumentException("token id < 0: " + id);
    }
}
