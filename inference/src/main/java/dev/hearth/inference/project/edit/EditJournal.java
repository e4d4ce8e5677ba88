package dev.hearth.inference.project.edit;

import java.time.Instant;
import java.util.Optional;

/// Where checkpoints are kept so that undo survives a restart: in the app, the session log (SQLite); the inference
/// module only knows this interface. Methods may block on disk.
public interface EditJournal {
    /// Keeps `checkpoint` (its id is 0) before any file is written; returns its id.
    long keep(Checkpoint checkpoint);

    /// The apply kept as `id` failed and changed nothing: forget it.
    void discard(long id);

    /// The apply kept as `id` was undone at `when`.
    void undone(long id, Instant when);

    /// The apply kept as `id` was committed to git as `commit`.
    void committed(long id, String commit);

    Optional<Checkpoint> checkpoint(long id);
}
