package dev.hearth.inference.project.edit;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/// One applied edit, kept so that it can be undone: the files it wrote with their previous bytes (null: the file did
/// not exist) and the sha256 of each before and after (null after: the apply deleted it), and the folders it created
/// for new files (`createdFolders`: relative to the root, `/`-separated, each parent before its children), which
/// undo removes again when they are empty. `id` is the [EditJournal]'s, 0 before it is kept;
/// `sessionId`/`generationId` say which answer the edit came from.
public record Checkpoint(long id, Path root, @Nullable Long sessionId, @Nullable Long generationId, Instant appliedAt,
        @Nullable Instant undoneAt, @Nullable String gitCommit, List<File> files, List<String> createdFolders) {
    public Checkpoint {
        files = List.copyOf(files);
        createdFolders = List.copyOf(createdFolders);
    }

    /// One file of an apply.
    public record File(String path, byte @Nullable [] before, @Nullable String beforeSha256, @Nullable String afterSha256) {
        @Override
        public boolean equals(Object o) {
            return o instanceof File f && path.equals(f.path) && Arrays.equals(before, f.before)
                    && Objects.equals(beforeSha256, f.beforeSha256) && Objects.equals(afterSha256, f.afterSha256);
        }

        @Override
        public int hashCode() {
            return Objects.hash(path, Arrays.hashCode(before), beforeSha256, afterSha256);
        }

        @Override
        public String toString() {
            return "File[" + path + ", " + beforeSha256 + " -> " + afterSha256 + "]";
        }
    }

    public boolean undone() {
        return undoneAt != null;
    }

    public Checkpoint withId(long newId) {
        return new Checkpoint(newId, root, sessionId, generationId, appliedAt, undoneAt, gitCommit, files, createdFolders);
    }

    public Checkpoint withUndoneAt(Instant when) {
        return new Checkpoint(id, root, sessionId, generationId, appliedAt, when, gitCommit, files, createdFolders);
    }

    public Checkpoint withGitCommit(String commit) {
        return new Checkpoint(id, root, sessionId, generationId, appliedAt, undoneAt, commit, files, createdFolders);
    }
}
