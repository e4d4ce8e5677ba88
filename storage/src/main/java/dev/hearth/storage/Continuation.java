package dev.hearth.storage;

/// A generation that continues another from one of its tokens: it keeps the source's tokens before `tokenIndex` and
/// goes on from another token there (an alternative from that position's top list).
public record Continuation(long generationId, long sourceId, int tokenIndex) {
    public Continuation {
        if (tokenIndex < 0) throw new IllegalArgumentException("token index < 0: " + tokenIndex);
    }
}
