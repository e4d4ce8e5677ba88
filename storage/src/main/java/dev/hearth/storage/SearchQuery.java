package dev.hearth.storage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/// A full-text search over prompts and outputs, with optional filters. The text is a list of words, all of which
/// must match (a word ending in `*` matches as a prefix); it is never parsed as FTS5 syntax. [SessionLog#browse]
/// applies the same filters without the text.
///
/// @param minTokensPerSecond only generations at least this fast (generation tokens/s); those without stats drop out
/// @param maxTokensPerSecond only generations at most this fast
public record SearchQuery(
        String text,
        @Nullable String modelName,
        @Nullable Long sessionId,
        @Nullable Long projectId,
        @Nullable Instant from,
        @Nullable Instant to,
        @Nullable GenerationStatus status,
        int limit,
        @Nullable Double minTokensPerSecond,
        @Nullable Double maxTokensPerSecond) {
    public SearchQuery {
        if (limit < 1) throw new IllegalArgumentException("limit < 1: " + limit);
    }

    /// A query without a speed range.
    public SearchQuery(String text, @Nullable String modelName, @Nullable Long sessionId, @Nullable Long projectId,
            @Nullable Instant from, @Nullable Instant to, @Nullable GenerationStatus status, int limit) {
        this(text, modelName, sessionId, projectId, from, to, status, limit, null, null);
    }

    public static SearchQuery of(String text) {
        return new SearchQuery(text, null, null, null, null, null, null, 50);
    }

    /// Whether any filter is set (the text aside).
    public boolean filtered() {
        return modelName != null || sessionId != null || projectId != null || from != null || to != null
                || status != null || minTokensPerSecond != null || maxTokensPerSecond != null;
    }

    public SearchQuery withText(String t) {
        return new SearchQuery(t, modelName, sessionId, projectId, from, to, status, limit, minTokensPerSecond, maxTokensPerSecond);
    }

    public SearchQuery withModel(@Nullable String name) {
        return new SearchQuery(text, name, sessionId, projectId, from, to, status, limit, minTokensPerSecond, maxTokensPerSecond);
    }

    public SearchQuery withSession(@Nullable Long id) {
        return new SearchQuery(text, modelName, id, projectId, from, to, status, limit, minTokensPerSecond, maxTokensPerSecond);
    }

    public SearchQuery withProject(@Nullable Long id) {
        return new SearchQuery(text, modelName, sessionId, id, from, to, status, limit, minTokensPerSecond, maxTokensPerSecond);
    }

    public SearchQuery between(@Nullable Instant start, @Nullable Instant end) {
        return new SearchQuery(text, modelName, sessionId, projectId, start, end, status, limit, minTokensPerSecond, maxTokensPerSecond);
    }

    public SearchQuery withStatus(@Nullable GenerationStatus s) {
        return new SearchQuery(text, modelName, sessionId, projectId, from, to, s, limit, minTokensPerSecond, maxTokensPerSecond);
    }

    public SearchQuery withLimit(int n) {
        return new SearchQuery(text, modelName, sessionId, projectId, from, to, status, n, minTokensPerSecond, maxTokensPerSecond);
    }

    /// Only generations whose generation speed (tokens/s) lies in `[min, max]`; either bound may be null.
    public SearchQuery withTokensPerSecond(@Nullable Double min, @Nullable Double max) {
        return new SearchQuery(text, modelName, sessionId, projectId, from, to, status, limit, min, max);
    }
}
