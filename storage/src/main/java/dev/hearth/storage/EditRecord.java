package dev.hearth.storage;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/// An applied edit of project files: which answer it came from (session, generation), the project folder, when it
/// was applied and undone, the git commit made of it, and each file with its sha256 before and after (null before:
/// the file did not exist; null after: the apply deleted it), and the folders it created for new files (relative to
/// `root`, parents first; none are known for edits recorded before schema 6). The previous contents are read with
/// [SessionLog#editCheckpoint(long)].
public record EditRecord(long id, @Nullable Long sessionId, @Nullable Long generationId, String root, Instant appliedAt,
        @Nullable Instant undoneAt, @Nullable String gitCommit, List<EditedFile> files, List<String> createdFolders) {
    public EditRecord {
        files = List.copyOf(files);
        createdFolders = List.copyOf(createdFolders);
    }

    /// One file of an applied edit.
    public record EditedFile(String path, @Nullable String beforeSha256, @Nullable String afterSha256) {}
}
