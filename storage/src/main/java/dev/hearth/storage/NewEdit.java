package dev.hearth.storage;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/// An edit about to be applied, as kept by [SessionLog#recordEdit(NewEdit)]: the checkpoint of every file it writes,
/// and the folders it creates for new files (relative to `root`, `/`-separated), which its undo removes when empty.
public record NewEdit(@Nullable Long sessionId, @Nullable Long generationId, String root, Instant appliedAt,
        List<File> files, List<String> createdFolders) {
    public NewEdit {
        files = List.copyOf(files);
        createdFolders = List.copyOf(createdFolders);
        if (files.isEmpty()) throw new IllegalArgumentException("an edit writes at least one file");
    }

    /// An edit that creates no folder.
    public NewEdit(@Nullable Long sessionId, @Nullable Long generationId, String root, Instant appliedAt, List<File> files) {
        this(sessionId, generationId, root, appliedAt, files, List.of());
    }

    /// A file's previous bytes (null: it did not exist) and its sha256 before and after.
    public record File(String path, byte @Nullable [] before, @Nullable String beforeSha256, @Nullable String afterSha256) {
        public File {
            if ((before == null) != (beforeSha256 == null)) {
                throw new IllegalArgumentException("a previous content needs its sha256, and only then: " + path);
            }
        }

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
}
