package dev.hearth.inference;

import java.util.Objects;

/// What went wrong, as a [Kind] the UI can turn into one plain sentence, and a `detail` for the log.
public record Failure(Kind kind, String detail) {

    /// The closed set of things that can go wrong in the engine.
    public enum Kind {
        MODEL_FILE_MISSING,
        NOT_A_MODEL_FILE,
        MODEL_FILE_CORRUPT,
        UNSUPPORTED_ARCHITECTURE,
        NATIVE_LIBRARY_INVALID,
        NATIVE_LIBRARY_MISSING,
        NOT_ENOUGH_MEMORY,
        LOAD_FAILED,
        LOAD_CANCELLED,
        NO_MODEL_LOADED,
        CONTEXT_FULL,
        INVALID_REQUEST,
        CANCELLED,
        DECODE_FAILED,
        ENGINE_CLOSED,
        ENGINE_CRASHED,
        /// The engine worker sent or was sent a message outside its protocol (or another protocol version).
        PROTOCOL_ERROR
    }

    public Failure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }
}
