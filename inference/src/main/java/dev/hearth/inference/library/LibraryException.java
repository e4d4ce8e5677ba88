package dev.hearth.inference.library;

import java.io.Serial;

/// A library operation the user asked for and that cannot be done, with one plain sentence.
public final class LibraryException extends Exception {
    @Serial private static final long serialVersionUID = 1L;

    public enum Kind { NOT_FOUND, READ_ONLY, NOT_GGUF, ALREADY_EXISTS, NOT_WRITABLE, IO_ERROR }

    private final Kind kind;

    public LibraryException(Kind kind, String message, @org.jspecify.annotations.Nullable Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public LibraryException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
