package dev.hearth.ui.metrics;

import dev.hearth.inference.gguf.GgufReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/// The bytes of a GGUF model's weights (its tensor data): what one decoded token reads. Empty when the file is
/// gone or not readable as GGUF.
public final class ModelWeights {
    private ModelWeights() {}

    public static OptionalLong bytes(Path model) {
        if (!Files.isRegularFile(model)) return OptionalLong.empty();
        try {
            long bytes = GgufReader.open(model).modelInfo().weightsBytes();
            return bytes > 0 ? OptionalLong.of(bytes) : OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
