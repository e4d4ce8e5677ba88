package dev.hearth.storage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/// A stored generation: its run record, its outcome and how many tokens were kept. Tokens come separately
/// ([SessionLog#tokens(long)]): they are the bulk of the data.
///
/// @param output the final text; while `RUNNING` (or after an interruption) the pieces written so far
public record Generation(
        long id,
        String uuid,
        @Nullable Long sessionId,
        @Nullable Long variantId,
        RunRecord run,
        GenerationStatus status,
        @Nullable String stopReason,
        @Nullable String failureReason,
        String output,
        @Nullable GenerationStats stats,
        @Nullable Instant endedAt,
        int tokenCount) {}
