package dev.hearth.storage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/// How a generation ended.
///
/// @param status        `DONE`, `CANCELLED` or `FAILED` (never `RUNNING`; `INTERRUPTED` is set by the log itself)
/// @param stopReason    why the engine stopped (`eos`, `max_tokens`, `stop_string`, …), when it did
/// @param failureReason a plain sentence when `FAILED`
/// @param output        the final text; `null` to use the concatenated token pieces
/// @param stats         timings, when known
/// @param endedAt       when it ended
public record GenerationEnd(
        GenerationStatus status,
        @Nullable String stopReason,
        @Nullable String failureReason,
        @Nullable String output,
        @Nullable GenerationStats stats,
        Instant endedAt) {
    public GenerationEnd {
        if (status == GenerationStatus.RUNNING) throw new IllegalArgumentException("an end cannot be RUNNING");
    }
}
