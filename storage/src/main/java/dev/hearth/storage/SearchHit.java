package dev.hearth.storage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/// One search result, best first. `snippet` marks matched words with [#MARK_START] and [#MARK_END];
/// [#snippet(String, String)] replaces them with the markers a caller wants (`**`, ANSI codes, …).
public record SearchHit(
        long generationId, @Nullable Long sessionId, String modelName, GenerationStatus status, Instant startedAt,
        String snippet, double score) {
    public static final String MARK_START = "\u0002";
    public static final String MARK_END = "\u0003";

    public String snippet(String open, String close) {
        return snippet.replace(MARK_START, open).replace(MARK_END, close);
    }
}
