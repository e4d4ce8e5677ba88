package dev.hearth.storage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/// A project: a named folder that sessions can belong to.
public record Project(long id, String name, @Nullable String folder, Instant createdAt) {}
