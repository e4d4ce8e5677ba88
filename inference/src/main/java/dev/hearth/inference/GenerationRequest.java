package dev.hearth.inference;

import java.util.Objects;

/// A raw prompt to continue.
///
/// @param prompt the text, tokenized with the model's special tokens added (BOS) and special tokens parsed
/// @param sampling how to pick tokens
/// @param tokenStats whether to compute the per-token log-probability, rank, entropy and alternatives;
///        without it those fields are NaN/0/empty (only benchmarks switch it off)
/// @param truncateLeft when the prompt does not fit the context, drop its oldest tokens instead of failing
/// @param freshCache evaluate the whole prompt even when the KV cache already holds a prefix of it (benchmarks;
///        otherwise only the tokens after the common prefix are evaluated)
/// @param conversation which conversation's KV cache this continues ("" is the default one): an engine keeps each
///        conversation's evaluated tokens apart, so two chats on one loaded model each evaluate only their new
///        tokens (a switch between them restores the other's KV cells; see ADR 0011)
public record GenerationRequest(String prompt, Sampling sampling, boolean tokenStats, boolean truncateLeft,
        boolean freshCache, String conversation) {

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(sampling, "sampling");
        if (conversation == null) conversation = ""; // absent in a worker message
    }

    public GenerationRequest(String prompt, Sampling sampling, boolean tokenStats, boolean truncateLeft,
            boolean freshCache) {
        this(prompt, sampling, tokenStats, truncateLeft, freshCache, "");
    }

    public GenerationRequest(String prompt, Sampling sampling) {
        this(prompt, sampling, true, false, false);
    }

    public GenerationRequest withTokenStats(boolean on) {
        return new GenerationRequest(prompt, sampling, on, truncateLeft, freshCache, conversation);
    }

    public GenerationRequest withTruncateLeft(boolean on) {
        return new GenerationRequest(prompt, sampling, tokenStats, on, freshCache, conversation);
    }

    public GenerationRequest withFreshCache(boolean on) {
        return new GenerationRequest(prompt, sampling, tokenStats, truncateLeft, on, conversation);
    }

    /// This request in conversation `id` (its own KV cache prefix on the loaded model).
    public GenerationRequest inConversation(String id) {
        return new GenerationRequest(prompt, sampling, tokenStats, truncateLeft, freshCache, id);
    }
}
