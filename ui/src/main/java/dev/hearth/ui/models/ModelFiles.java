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
        long size = 0;
        try {
            if (Files.isDirectory(file)) return ModelEntry.unusable(file, 0, "This is a folder, not a GGUF file.");
            size = Files.size(file);
            // open() checks the structure and the vocabulary (duplicate tokens would abort llama.cpp).
            return ModelEntry.usable(file, size, GgufReader.open(file).modelInfo());
        } catch (GgufFormatException e) {
            return ModelEntry.unusable(file, size, "Not a usable GGUF file: " + e.getMessage());
        } catch (NoSuchFileException e) {
            return ModelEntry.unusable(file, size, "The file does not exist.");
        } catch (AccessDeniedException e) {
            return ModelEntry.unusable(file, size, "Hearth may not read this file.");
        } catch (IOException e) {
            return ModelEntry.unusable(file, size, "The file could not be read: " + e.getMessage());
        }
    }
}
