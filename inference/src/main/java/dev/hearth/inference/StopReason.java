package dev.hearth.inference;

/// Why generation ended.
public enum StopReason {
    /// The model produced an end-of-generation token.
    EOS,
    /// The token limit was reached.
    LENGTH,
    /// A stop string appeared (it is not part of the output).
    STOP,
    /// The caller cancelled.
    CANCELLED,
    /// The context is full.
    CONTEXT,
    /// llama.cpp failed while decoding.
    ERROR;

    /// The lower-case name used in JSON output (`eos`, `length`, …).
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
