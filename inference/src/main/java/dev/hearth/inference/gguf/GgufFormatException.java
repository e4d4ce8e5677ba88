package dev.hearth.inference.gguf;

import java.io.IOException;

/// A file that is not a usable GGUF model file. The message is one line a person can read,
/// such as `not a GGUF file (magic 0x464c457f)` or
/// `duplicate token string 'a' at ids 5 and 9 (llama.cpp would abort)`.
public final class GgufFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /// A refusal with its one-line reason.
    public GgufFormatException(String reason) {
        super(reason);
    }
}
