package dev.hearth.inference.project.edit;

import dev.hearth.inference.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/// Writes reviewed changes and undoes them. An apply is one step: every file is checked first (inside the root on its
/// real path, unchanged since the preview), then a [Checkpoint] of the previous contents is kept in the
/// [EditJournal], then the files are written, each atomically ([AtomicFile]). If any check fails nothing is written;
/// if a write fails, the files already written are put back and the checkpoint is discarded, so an apply writes all
/// its files or none.
public final class EditApplier {
    private EditApplier() {}

    /// The hunks accepted in one file.
    public record Accepted(FileChange file, Set<Integer> hunks) {
        public Accepted {
            hunks = Set.copyOf(hunks);
        }
    }

    /// Which answer an apply comes from.
    public record Origin(@Nullable Long sessionId, @Nullable Long generationId) {
        public static final Origin NONE = new Origin(null, null);
    }

    private record Write(String path, Path target, byte @Nullable [] before, byte @Nullable [] after) {}

    /// Applies the accepted hunks; returns the kept checkpoint.
    public static Checkpoint apply(Path root, List<Accepted> accepted, EditJournal journal, Origin origin)
            throws EditException {
        var writes = new ArrayList<Write>();
        var seen = new HashSet<String>();
        for (var a : accepted) {
            if (!a.file().changesWith(a.hunks())) continue;
            var path = a.file().path();
            if (!seen.add(path)) throw new EditException(EditException.Kind.UNSAFE_PATH, path + " is in the apply twice.");
            var target = ProjectPaths.resolve(root, path);
            var current = read(target);
            var currentSha = current == null ? null : FileChange.sha256(current);
            if (!Objects.equals(currentSha, a.file().beforeSha256())) {
                throw new EditException(EditException.Kind.STALE, path + " changed on disk since this review was "
                        + "prepared; nothing was written. Review the answer again.");
            }
            writes.add(new Write(path, target, current, a.file().result(a.hunks())));
        }
        if (writes.isEmpty()) throw new EditException(EditException.Kind.NOTHING_TO_APPLY, "No change is accepted.");
        var files = writes.stream().map(w -> new Checkpoint.File(w.path(), w.before(),
                w.before() == null ? null : FileChange.sha256(w.before()),
                w.after() == null ? null : FileChange.sha256(w.after()))).toList();
        var checkpoint = new Checkpoint(0, root, origin.sessionId(), origin.generationId(), Instant.now(), null, null, files);
        long id = journal.keep(checkpoint);
        try {
            writeAll(root, writes);
        } catch (EditException e) {
            journal.discard(id);
            throw e;
        }
        return checkpoint.withId(id);
    }

    /// Undoes an apply: puts back every file's previous bytes (deleting the files it created). Refused when a file
    /// changed since the apply (its sha256 is not the one written), unless `force`.
    public static Checkpoint undo(Checkpoint checkpoint, EditJournal journal, boolean force) throws EditException {
        if (checkpoint.undone()) {
            throw new EditException(EditException.Kind.ALREADY_UNDONE, "This change was already undone.");
        }
        var writes = new ArrayList<Write>();
        var changed = new ArrayList<String>();
        for (var f : checkpoint.files()) {
            var target = ProjectPaths.resolve(checkpoint.root(), f.path());
            var current = read(target);
            var currentSha = current == null ? null : FileChange.sha256(current);
            if (!Objects.equals(currentSha, f.afterSha256())) changed.add(f.path());
            writes.add(new Write(f.path(), target, current, f.before()));
        }
        if (!changed.isEmpty() && !force) {
            throw new EditException(EditException.Kind.STALE, String.join(", ", changed)
                    + (changed.size() == 1 ? " has" : " have") + " changed since this edit was applied; undoing would "
                    + "lose those changes. Undo anyway to restore the previous contents.");
        }
        writeAll(checkpoint.root(), writes);
        var when = Instant.now();
        journal.undone(checkpoint.id(), when);
        return checkpoint.withUndoneAt(when);
    }

    private static byte @Nullable [] read(Path target) throws EditException {
        try {
            return Files.exists(target) ? Files.readAllBytes(target) : null;
        } catch (IOException e) {
            throw new EditException(EditException.Kind.IO, "Could not read " + target + ": " + e.getMessage(), e);
        }
    }

    /// Writes each file's `after` (deleting it when null); on a failure puts back the ones done and throws.
    private static void writeAll(Path root, List<Write> writes) throws EditException {
        var done = new ArrayList<Write>();
        var createdFolders = new ArrayList<Path>();
        for (var w : writes) {
            try {
                var target = ProjectPaths.resolve(root, w.path()); // again, at write time
                if (w.after() == null) {
                    Files.deleteIfExists(target);
                } else {
                    createFolders(target.getParent(), createdFolders);
                    var bytes = w.after();
                    AtomicFile.write(target, out -> out.write(bytes));
                }
                done.add(w);
            } catch (EditException | IOException e) {
                rollBack(done, createdFolders);
                if (e instanceof EditException ee) throw ee;
                throw new EditException(EditException.Kind.IO, "Could not write " + w.path() + " (" + e.getMessage()
                        + "); nothing was changed.", e);
            }
        }
    }

    private static void createFolders(Path folder, List<Path> created) throws IOException {
        var missing = new ArrayList<Path>();
        for (var p = folder; p != null && !Files.exists(p); p = p.getParent()) missing.addFirst(p);
        for (var p : missing) {
            Files.createDirectory(p);
            created.add(p);
        }
    }

    private static void rollBack(List<Write> done, List<Path> createdFolders) {
        for (var w : done.reversed()) {
            try {
                if (w.before() == null) {
                    Files.deleteIfExists(w.target());
                } else {
                    var bytes = w.before();
                    AtomicFile.write(w.target(), out -> out.write(bytes));
                }
            } catch (IOException _) {
                // best effort: the first failure is the one reported
            }
        }
        for (var folder : createdFolders.reversed()) {
            try {
                Files.deleteIfExists(folder);
            } catch (IOException _) {
                // not empty or gone: leave it
            }
        }
    }
}
