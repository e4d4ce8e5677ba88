package dev.hearth.storage;

/// Whether the log is writing. After a write failure (disk full, folder made read-only, …) it pauses: the failed
/// transaction is rolled back whole, later writes are dropped, and reads keep working.
public sealed interface Health {
    record Writing() implements Health {}

    record Paused(StorageException cause) implements Health {}
}
