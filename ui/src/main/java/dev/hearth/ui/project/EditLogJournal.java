package dev.hearth.ui.project;

import dev.hearth.inference.project.edit.Checkpoint;
import dev.hearth.inference.project.edit.EditApplier;
import dev.hearth.inference.project.edit.EditJournal;
import dev.hearth.storage.EditRecord;
import dev.hearth.storage.NewEdit;
import dev.hearth.storage.SessionLog;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/// Keeps edit checkpoints in the session log (SQLite), so that an apply can be undone after a restart and every
/// applied edit is on record (which answer, which files, sha256 before and after, undone or not). Blocks on the
/// log's writer: call off the UI thread.
public final class EditLogJournal implements EditJournal {
    private final SessionLog log;

    public EditLogJournal(SessionLog log) {
        this.log = log;
    }

    @Override
    public long keep(Checkpoint c) {
        var files = c.files().stream()
                .map(f -> new NewEdit.File(f.path(), f.before(), f.beforeSha256(), f.afterSha256())).toList();
        return log.recordEdit(new NewEdit(c.sessionId(), c.generationId(), c.root().toString(), c.appliedAt(), files,
                c.createdFolders()));
    }

    @Override
    public void discard(long id) {
        log.deleteEdit(id);
    }

    @Override
    public void undone(long id, Instant when) {
        log.markEditUndone(id, when);
    }

    @Override
    public void committed(long id, String commit) {
        log.setEditCommit(id, commit);
    }

    @Override
    public Optional<Checkpoint> checkpoint(long id) {
        return log.edit(id).map(this::checkpoint);
    }

    /// The latest apply of edits from the answer of `origin`'s generation, if any.
    public Optional<Checkpoint> latest(EditApplier.Origin origin) {
        if (origin.generationId() == null) return Optional.empty();
        return log.edits(origin.sessionId(), 200).stream()
                .filter(e -> Objects.equals(e.generationId(), origin.generationId()))
                .findFirst().map(this::checkpoint);
    }

    private Checkpoint checkpoint(EditRecord e) {
        var before = log.editCheckpoint(e.id());
        var files = e.files().stream()
                .map(f -> new Checkpoint.File(f.path(), f.beforeSha256() == null ? null : before.get(f.path()),
                        f.beforeSha256(), f.afterSha256()))
                .toList();
        return new Checkpoint(e.id(), Path.of(e.root()), e.sessionId(), e.generationId(), e.appliedAt(), e.undoneAt(),
                e.gitCommit(), files, e.createdFolders());
    }
}
