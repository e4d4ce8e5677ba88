package dev.hearth.storage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/// A chat session, optionally bound to a project. `deletedAt` is set while it is in the bin (soft delete).
public record Session(
        long id, String uuid, @Nullable Long projectId, String title, Instant createdAt, Instant updatedAt,
        @Nullable Instant deletedAt) {}
