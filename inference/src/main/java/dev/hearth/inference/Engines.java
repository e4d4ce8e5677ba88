package dev.hearth.inference;

import dev.hearth.inference.llama.LlamaEngine;

/// Creates engines.
public final class Engines {
    private Engines() {}

    /// An engine running llama.cpp in this process. The native library is loaded (once per process) and checked.
    public static Engine inProcess(NativeLibrary library) {
        return LlamaEngine.open(library);
    }
}
