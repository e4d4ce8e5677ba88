package dev.hearth.ui.models;

import dev.hearth.inference.gguf.KvCacheType;
import dev.hearth.inference.gguf.ModelInfo;
import dev.hearth.inference.library.FitEstimate;
import dev.hearth.inference.library.LocalModel;
import dev.hearth.inference.library.ModelSource;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/// One GGUF file as the Models section shows it: either its model info, or the one-line reason it is unusable.
///
/// @param name      the library's name for it (`owner/repo/file.gguf`, `name:tag` for Ollama), or the file name
/// @param source    where it lives: Hearth's models folder, a user folder, or another tool's cache (read-only)
/// @param path      the file (the first shard of a split set)
/// @param sizeBytes its size on disk (all shards)
/// @param info      what the file says about its model, `null` when it could not be read
/// @param problem   why the file is unusable, `null` when it is fine
/// @param model     the library's model, `null` for a file inspected outside the library
/// @param estimate  memory at the default context with an f16 KV cache (all parts of a split set), `null` when unusable
public record ModelEntry(
        String name, @Nullable ModelSource source, Path path, long sizeBytes, @Nullable ModelInfo info, @Nullable String problem,
        @Nullable LocalModel model, @Nullable FitEstimate estimate) {

    public ModelEntry {
        if ((info == null) == (problem == null)) throw new IllegalArgumentException("exactly one of info and problem");
    }

    /// A file inspected on its own, outside the library.
    public static ModelEntry usable(Path path, long sizeBytes, ModelInfo info) {
        return new ModelEntry(fileName(path), null, path, sizeBytes, info, null, null,
                FitEstimate.of(info, info.weightsBytes(), ModelFiles.defaultContext(info), KvCacheType.F16));
    }

    /// A file inspected on its own that could not be used.
    public static ModelEntry unusable(Path path, long sizeBytes, String problem) {
        return new ModelEntry(fileName(path), null, path, sizeBytes, null, problem, null, null);
    }

    public String fileName() {
        return fileName(path);
    }

    private static String fileName(Path path) {
        var name = path.getFileName();
        return name == null ? path.toString() : name.toString();
    }

    /// Whether the library can delete it (Hearth's folder and user folders; not other tools' caches).
    public boolean removable() {
        return model != null && !model.readOnly();
    }

    public boolean usable() {
        return info != null;
    }
}
