package dev.hearth.ui.models;

import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.gguf.GgufFormatException;
import dev.hearth.inference.gguf.ModelInfo;
import dev.hearth.inference.gguf.GgufReader;
import dev.hearth.inference.gguf.KvCacheType;
import dev.hearth.inference.library.LocalModel;
import dev.hearth.inference.library.ModelLibrary;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/// Reads GGUF files' model info for the Models section, turning every failure into one plain sentence.
/// Blocking: call it through `UiTasks`.
public final class ModelFiles {
    private ModelFiles() {}

    /// Reads a library model's metadata. Never throws: an unusable model gives an entry with the reason.
    public static ModelEntry inspect(ModelLibrary library, LocalModel model) {
        try {
            var info = library.info(model);
            var estimate = library.estimate(model, defaultContext(info), KvCacheType.F16);
            return new ModelEntry(model.name(), model.source(), model.path(), model.sizeBytes(), info, null, model, estimate);
        } catch (IOException e) {
            return new ModelEntry(model.name(), model.source(), model.path(), model.sizeBytes(), null, problem(e), model, null);
        }
    }

    /// Reads one file. Never throws: an unusable file gives an entry with the reason in one plain sentence.
    public static ModelEntry inspect(Path file) {
        if (Files.isDirectory(file)) return ModelEntry.unusable(file, 0, FOLDER);
        long size = 0;
        try {
            size = Files.size(file);
            // open() checks the structure and the vocabulary (duplicate tokens would abort llama.cpp).
            return ModelEntry.usable(file, size, GgufReader.open(file).modelInfo());
        } catch (IOException e) {
            return ModelEntry.unusable(file, size, problem(e));
        }
    }

    /// The context Hearth would load with by default (the engine's own rule).
    public static int defaultContext(ModelInfo info) {
        return LoadOptions.DEFAULT.effectiveContextSize((int) Math.min(Integer.MAX_VALUE, info.contextLength()));
    }

    /// Why a folder is not a model.
    public static final String FOLDER = "This is a folder, not a GGUF file.";

    /// Why a GGUF file could not be read, in one plain sentence.
    public static String problem(IOException e) {
        return switch (e) {
            case GgufFormatException f -> "Not a usable GGUF file: " + f.getMessage();
            case NoSuchFileException _ -> "The file does not exist.";
            case AccessDeniedException _ -> "Hearth may not read this file.";
            default -> "The file could not be read: " + e.getMessage();
        };
    }
}
