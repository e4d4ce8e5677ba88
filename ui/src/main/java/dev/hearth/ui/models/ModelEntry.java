package dev.hearth.ui.models;

import dev.hearth.inference.gguf.ModelInfo;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/// One GGUF file as the Models section shows it: either its model info, or the one-line reason it is unusable.
///
/// @param path      the file
/// @param sizeBytes its size on disk
/// @param info      what the file says about its model, `null` when it could not be read
/// @param problem   why the file is unusable, `null` when it is fine
public record ModelEntry(Path path, long sizeBytes, @Nullable ModelInfo info, @Nullable String problem) {

    public ModelEntry {
        if ((info == null) == (problem == null)) throw new IllegalArgumentException("exactly one of info and problem");
    }

    public static ModelEntry usable(Path path, long sizeBytes, ModelInfo info) {
        return new ModelEntry(path, sizeBytes, info, null);
    }

    public static ModelEntry unusable(Path path, long sizeBytes, String problem) {
        return new ModelEntry(path, sizeBytes, null, problem);
    }

    public String fileName() {
        var name = path.getFileName();
        return name == null ? path.toString() : name.toString();
    }

    public boolean usable() {
        return info != null;
    }
}
