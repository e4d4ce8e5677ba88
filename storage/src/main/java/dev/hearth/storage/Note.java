package dev.hearth.storage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/// A note the user wrote on a session or on a generation (exactly one of the two ids is set).
public record Note(long id, @Nullable Long sessionId, @Nullable Long generationId, String text, Instant createdAt) {}
