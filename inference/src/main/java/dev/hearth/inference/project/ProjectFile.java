package dev.hearth.inference.project;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/// One file of a project as the listing sees it: its path relative to the root (with `/`), its size and
/// modification time, and why it cannot be included (null when it can).
public record ProjectFile(String path, Path file, long size, long modifiedMillis, @Nullable Exclusion exclusion) {

    /// Why a listed file cannot go into the context.
    public enum Exclusion {
        /// Contains NUL bytes in its first 8 KiB (git's test for binary content).
        BINARY("binary"),
        /// Larger than the listing's size limit.
        TOO_LARGE("too large"),
        /// A symbolic link whose target lies outside the project folder.
        LINK_OUTSIDE("links outside the project"),
        /// A symbolic link to a folder (not followed: its files are listed where they really are, or not at all).
        LINKED_FOLDER("linked folder, not followed"),
        /// Could not be read.
        UNREADABLE("unreadable");

        private final String reason;

        Exclusion(String reason) {
            this.reason = reason;
        }

        /// A few words for the screen.
        public String reason() {
            return reason;
        }
    }

    public ProjectFile {
        if (path.isEmpty() || path.startsWith("/")) throw new IllegalArgumentException("not a relative path: " + path);
    }

    /// Whether the file can go into the context.
    public boolean includable() {
        return exclusion == null;
    }

    /// The file's name (the last part of its path).
    public String name() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
