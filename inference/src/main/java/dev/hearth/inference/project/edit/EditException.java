package dev.hearth.inference.project.edit;

/// Why an apply or an undo was refused. Nothing was written when one is thrown (see [EditApplier]).
public final class EditException extends Exception {
    /// What went wrong, for the view model's one sentence.
    public enum Kind {
        /// A path leaves the project root (`..`, absolute, a symbolic link pointing outside) or is not allowed.
        UNSAFE_PATH,
        /// A file changed on disk since the review was prepared, or since the apply being undone.
        STALE,
        /// A file is binary or not UTF-8 text: Hearth does not edit it.
        NOT_TEXT,
        /// This apply was already undone.
        ALREADY_UNDONE,
        /// No accepted change to apply.
        NOTHING_TO_APPLY,
        /// `git` is missing or refused the commit.
        GIT,
        /// Reading or writing a file failed.
        IO
    }

    private final Kind kind;

    public EditException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public EditException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
