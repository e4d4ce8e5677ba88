package dev.hearth.inference;

import dev.hearth.inference.chat.BuiltinChatFormatter;
import dev.hearth.inference.llama.LlamaChatFormatter;
import dev.hearth.inference.llama.LlamaEngine;

/// Creates engines.
public final class Engines {
    private Engines() {}

    /// An engine running llama.cpp in this process. The native library is loaded (once per process) and checked.
    public static Engine inProcess(NativeLibrary library) {
        return LlamaEngine.open(library);
    }

    /// The same, sending llama.cpp's log lines to `log` (one sink per process: the last one set wins).
    public static Engine inProcess(NativeLibrary library, EngineLog log) {
        var engine = LlamaEngine.open(library);
        engine.library().setLogSink(log);
        return engine;
    }

    /// llama.cpp's built-in chat formats, the fallback for a model template Hearth's interpreter cannot render.
    /// Only string formatting runs in this process (no model); the library is loaded on first use.
    public static BuiltinChatFormatter builtinChatFormatter(NativeLibrary library) {
        return new LlamaChatFormatter(library);
    }
}
