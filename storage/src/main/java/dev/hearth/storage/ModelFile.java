package dev.hearth.storage;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// A model file Hearth knows. `gguf` is a summary of its header (architecture, parameters, quantization, …);
/// the `source…` fields are set when Hearth downloaded it.
public record ModelFile(
        long id,
        String path,
        String name,
        long sizeBytes,
        @Nullable String sha256,
        Map<String, Object> gguf,
        @Nullable String sourceRepo,
        @Nullable String sourceFile,
        @Nullable String sourceRevision,
        Instant addedAt) {
    public ModelFile {
        gguf = Map.copyOf(gguf);
    }

    /// A model not yet stored (id 0).
    public static ModelFile of(String path, String name, long sizeBytes, @Nullable String sha256) {
        return new ModelFile(0, path, name, sizeBytes, sha256, Map.of(), null, null, null, Instant.now());
    }
}
