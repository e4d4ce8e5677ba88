package dev.hearth.inference.library;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/// A model on this machine: one GGUF file or a split set.
///
/// @param name    what the user types and sees: `owner/repo/file.gguf` for downloads and caches organised by repository,
///                the path inside a folder otherwise, `name:tag` for Ollama
/// @param files   the files, first shard first; [#path()] is the one to load
/// @param quant   the quantisation label from the file name, when it has one
public record LocalModel(
        String name,
        ModelSource source,
        List<Path> files,
        long sizeBytes,
        @Nullable String quant,
        Instant modified) {

    public LocalModel {
        files = List.copyOf(files);
        if (files.isEmpty()) throw new IllegalArgumentException("a model needs a file");
    }

    /// The file to load (the first shard of a split set).
    public Path path() {
        return files.getFirst();
    }

    public boolean readOnly() {
        return source.readOnly();
    }
}
