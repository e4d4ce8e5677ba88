package dev.hearth.storage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/// A full-text search over prompts and outputs, with optional filters. The text is a list of words, all of which
/// must match (a word ending in `*` matches as a prefix); it is never parsed as FTS5 syntax.
public record SearchQuery(
        String text,
        @Nullable String modelName,
        @Nullable Long sessionId,
        @Nullable Long projectId,
        @Nullable Instant from,
        @Nullable Instant to,
        @Nullable GenerationStatus status,
        int limit) {
    public SearchQuery {
        if (limit < 1) throw new IllegalArgumentException("limit < 1: " + limit);
    }

    public static SearchQuery of(String text) {
        return new SearchQuery(text, null, null, null, null, null, null, 50);
    }

    public SearchQuery withModel(@Nullable String name) {
        return new SearchQuery(text, name, sessionId, projectId, from, to, status, limit);
    }

    public SearchQuery withSession(@Nullable Long id) {
        return new SearchQuery(text, modelName, id, projectId, from, to, status, limit);
    }

    public SearchQuery withProject(@Nullable Long id) {
        return new SearchQuery(text, modelName, sessionId, id, from, to, status, limit);
    }

    public SearchQuery between(@Nullable Instant start, @Nullable Instant end) {
        return new SearchQuery(text, modelName, sessionId, projectId, start, end, status, limit);
    }

    public SearchQuery withStatus(@Nullable GenerationStatus s) {
        return new SearchQuery(text, modelName, sessionId, projectId, from, to, s, limit);
    }

    public SearchQuery withLimit(int n) {
        return new SearchQuery(text, modelName, sessionId, projectId, from, to, status, n);
    }
}
