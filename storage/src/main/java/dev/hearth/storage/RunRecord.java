package dev.hearth.storage;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/// What a generation was asked to do, known when it starts: enough to reproduce it.
///
/// @param modelPath    the GGUF file
/// @param modelName    a short name for lists and filters (usually the file name)
/// @param modelSha256  the file's SHA-256 in hex, when known
/// @param nativeBuild  the native library build (for example `llama.cpp b4916`)
/// @param engine       the engine that ran it (for example `in-process`, `worker`)
/// @param loadOptions  model/context load options (context size, GPU layers, …) as JSON-able values
/// @param sampling     sampling parameters (temperature, top-k, …) as JSON-able values
/// @param seed         the sampler seed
/// @param prompt       the rendered prompt, exactly as tokenized
/// @param promptTokens its token count
/// @param startedAt    when the generation started
public record RunRecord(
        String modelPath,
        String modelName,
        @Nullable String modelSha256,
        String nativeBuild,
        String engine,
        Map<String, Object> loadOptions,
        Map<String, Object> sampling,
        long seed,
        String prompt,
        int promptTokens,
        Instant startedAt) {
    public RunRecord {
        if (modelPath.isBlank()) throw new IllegalArgumentException("model path is blank");
        if (promptTokens < 0) throw new IllegalArgumentException("prompt tokens < 0: " + promptTokens);
        loadOptions = java.util.Collections.unmodifiableMap(new TreeMap<>(loadOptions));
        sampling = java.util.Collections.unmodifiableMap(new TreeMap<>(sampling));
    }
}
