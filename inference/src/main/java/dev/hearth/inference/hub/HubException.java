package dev.hearth.inference.hub;

import java.io.Serial;

/// A Hub or download failure the user can act on. [#kind()] is for code (a view model switches on it to pick a
/// sentence and an action such as Retry or "Set a token"); [#getMessage()] is one plain sentence for the CLI and log.
public final class HubException extends Exception {
    @Serial private static final long serialVersionUID = 1L;

    /// What went wrong, as a closed set.
    public enum Kind {
        /// The repository does not exist, or is private and no valid token was sent.
        REPO_NOT_FOUND,
        /// The branch, tag or commit does not exist in the repository.
        REVISION_NOT_FOUND,
        /// The file does not exist at that revision.
        FILE_NOT_FOUND,
        /// The repository is gated: accept its licence on the Hub and set a token.
        GATED,
        /// The token was refused (invalid, expired, or without access to this repository).
        UNAUTHORIZED,
        /// The repository has no GGUF files (or none matching the requested quantisation).
        NO_GGUF,
        /// The server failed (5xx) or answered something we cannot use, after the retries.
        SERVER_ERROR,
        /// The network failed (refused, reset, timed out, stalled), after the retries.
        NETWORK,
        /// The downloaded bytes do not match the Hub's sha256 (or size): nothing was kept.
        CHECKSUM_MISMATCH,
        /// Not enough free space for the download, checked before starting.
        NOT_ENOUGH_SPACE,
        /// The disk filled up while downloading: nothing was added to the library.
        DISK_FULL,
        /// The models folder (or a folder in it) cannot be written.
        NOT_WRITABLE,
        /// A file name from the server would escape the repository's folder; refused.
        UNSAFE_PATH,
        /// Another download (in this or another Hearth process) is writing the same file.
        ALREADY_DOWNLOADING,
        /// The download was cancelled by the user.
        CANCELLED,
        /// A local file-system error other than the above.
        IO_ERROR
    }

    private final Kind kind;

    public HubException(Kind kind, String message) {
        this(kind, message, null);
    }

    public HubException(Kind kind, String message, @org.jspecify.annotations.Nullable Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
