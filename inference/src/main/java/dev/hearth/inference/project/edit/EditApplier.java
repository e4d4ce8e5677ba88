package dev.hearth.inference.project.edit;

import dev.hearth.inference.AtomicFile;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/// Writes reviewed changes and undoes them. An apply is one step: every file is checked first (inside the root on its
/// real path, unchanged since the preview), then a [Checkpoint] of the previous contents is kept in the
/// [EditJournal], then the files are written, each atomically ([AtomicFile]). If any check fails nothing is written;
/// if a write fails, the files already written are put back and the checkpoint is discarded, so an apply writes all
/// its files or none. The checkpoint also names the folders the apply creates for new files, so that undo removes
/// them again (those still empty), as it deletes the files the apply created.
public final class EditApplier {
    private static final Logger LOG = Logger.getLogger(EditApplier.class.getName());

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
        var checkpoint = new Checkpoint(0, root, origin.sessionId(), origin.generationId(), Instant.now(), null, null, files,
                missingFolders(root, writes));
        long id = journal.keep(checkpoint);
        try {
            writeAll(root, writes);
        } catch (EditException e) {
            journal.discard(id);
            throw e;
        }
        return checkpoint.withId(id);
    }

    /// Undoes an apply: puts back every file's previous bytes (deleting the files it created), then removes the folders
    /// it created that are empty now, deepest first (a folder that holds something added since stays, and so do the
    /// folders above it; a folder that existed before the apply is never removed). Refused when a file changed since
    /// the apply (its sha256 is not the one written), unless `force`; a refused undo changes nothing.
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
        removeEmptyFolders(checkpoint.root(), checkpoint.createdFolders());
        var when = Instant.now();
        journal.undone(checkpoint.id(), when);
        return checkpoint.withUndoneAt(when);
    }

    /// The folders (relative to the root's real path, `/`-separated, parents first) that writing `writes` will create:
    /// the missing parents of each file written. Worked out before the checkpoint is kept, so that it names them even
    /// if Hearth stops during the writes.
    private static List<String> missingFolders(Path root, List<Write> writes) throws EditException {
        var rootReal = realRoot(root);
        var out = new LinkedHashSet<String>();
        for (var w : writes) {
            if (w.after() == null) continue;
            var missing = new ArrayList<String>();
            for (var p = w.target().getParent(); p != null && p.startsWith(rootReal) && !p.equals(rootReal)
                    && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
                missing.addFirst(slashed(rootReal.relativize(p)));
            }
            out.addAll(missing);
        }
        return List.copyOf(out);
    }

    /// Removes each of `folders` (relative to `root`) that is an empty folder now, deepest first; best effort: a folder
    /// that holds something, is gone, or is (or lies under) a link now is left as it is.
    private static void removeEmptyFolders(Path root, List<String> folders) throws EditException {
        if (folders.isEmpty()) return;
        var rootReal = realRoot(root);
        var deepestFirst = folders.stream()
                .sorted(Comparator.comparingInt((String f) -> f.split("/").length).reversed()).toList();
        for (var f : deepestFirst) {
            if (ProjectPaths.problem(f) != null) continue; // never the root, never outside it
            var folder = rootReal.resolve(f);
            try {
                if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS) || !folder.toRealPath().equals(folder)) continue;
                Files.delete(folder); // refused by the file system unless empty
            } catch (DirectoryNotEmptyException _) {
                // something was added since: the folder stays, and so do the ones above it
            } catch (IOException e) {
                LOG.log(Level.FINE, "the folder " + f + " created by an apply was not removed", e);
            }
        }
    }

    private static Path realRoot(Path root) throws EditException {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            throw new EditException(EditException.Kind.IO, "The project folder " + root + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String slashed(Path relative) {
        var b = new StringBuilder();
        for (var part : relative) b.append(b.isEmpty() ? "" : "/").append(part);
        return b.toString();
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
