package dev.hearth.inference.project.edit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/// A journal kept in a map, for the edit tests of this module (which cannot reach the SQLite session log; the ui
/// module's tests run the same steps through the real one).
final class MemoryJournal implements EditJournal {
    final Map<Long, Checkpoint> kept = new LinkedHashMap<>();
    private long next = 1;

    @Override
    public long keep(Checkpoint checkpoint) {
        long id = next++;
        kept.put(id, checkpoint.withId(id));
        return id;
    }

    @Override
    public void discard(long id) {
        kept.remove(id);
    }

    @Override
    public void undone(long id, Instant when) {
        kept.computeIfPresent(id, (_, c) -> c.withUndoneAt(when));
    }

    @Override
    public void committed(long id, String commit) {
        kept.computeIfPresent(id, (_, c) -> c.withGitCommit(commit));
    }

    @Override
    public Optional<Checkpoint> checkpoint(long id) {
        return Optional.ofNullable(kept.get(id));
    }
}
