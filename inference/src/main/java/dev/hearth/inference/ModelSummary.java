package dev.hearth.inference;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/// A loaded model as llama.cpp sees it.
///
/// @param description llama.cpp's one-line description (architecture, size, type)
/// @param trainingContext the context length the model was trained with
/// @param contextSize the context length of the loaded context
/// @param chatTemplate the Jinja chat template from the file, or null
public record ModelSummary(
        Path path,
        String architecture,
        String description,
        long parameters,
        long sizeBytes,
        int layers,
        int embeddingLength,
        int vocabularySize,
        int trainingContext,
        int contextSize,
        @Nullable String chatTemplate) {}
