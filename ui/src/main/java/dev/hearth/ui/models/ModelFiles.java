package dev.hearth.ui.models;

import dev.hearth.inference.gguf.GgufFormatException;
import dev.hearth.inference.gguf.GgufReader;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/// Finds GGUF files in a folder and reads each one's model info. Blocking: call it through `UiTasks`.
public final class ModelFiles {
    /// Deep enough for `<models>/<owner>/<repo>/<file>` and a folder or two of the user's own.
    private static final int MAX_DEPTH = 6;

    private ModelFiles() {}

    /// The `.gguf` files under `folder`, sorted by path; an absent folder has none.
    public static List<Path> find(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.walk(folder, MAX_DEPTH, FileVisitOption.FOLLOW_LINKS)) {
            return files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf"))
                    .filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
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
