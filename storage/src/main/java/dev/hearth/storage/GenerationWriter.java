package dev.hearth.storage;

import java.util.concurrent.CompletableFuture;

/// The producer's side of one streaming generation, from [SessionLog#startGeneration]. Every method returns at
/// once: nothing here waits for the disk. Tokens are committed in batches at least every
/// [SqliteSessionLog#COMMIT_INTERVAL_MS] milliseconds while they stream, so a crash loses at most that much.
/// Use it from one producer thread.
public interface GenerationWriter {

    /// The generation's stable id (also in exports).
    String uuid();

    /// The database row id, known once the writer thread has inserted the row.
    CompletableFuture<Long> id();

    /// Queues one token. Indexes must follow each other from 0.
    void append(Token token);

    /// Queues the end; tokens appended before it are written first. Later calls are ignored.
    void finish(GenerationEnd end);
}
