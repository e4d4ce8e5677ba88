package dev.hearth.storage;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/// A session-log failure the caller can act on. [#kind()] says which; the message is one plain sentence.
public final class StorageException extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;

    /// What went wrong.
    public enum Kind {
        /// The database was written by a newer Hearth (its schema version is higher than this Hearth knows).
        NEWER_SCHEMA,
        /// The data folder or the database file cannot be written.
        READ_ONLY,
        /// The disk (or the database's size limit) is full.
        DISK_FULL,
        /// The file is not a SQLite database or is damaged.
        CORRUPT,
        /// Logging was paused by an earlier write failure ([SessionLog#health()]); nothing more is written.
        PAUSED,
        /// The log was closed.
        CLOSED,
        /// A file to import or a search query could not be understood.
        BAD_INPUT,
        /// Anything else from SQLite or the file system.
        IO
    }

    private final Kind kind;

    public StorageException(Kind kind, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public StorageException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
