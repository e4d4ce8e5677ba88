package dev.hearth.inference.llama;

import java.nio.file.Path;

/// Full validation through the GGUF reader (structure, truncation, vocabulary, architecture).
final class GgufValidation {
    private GgufValidation() {}

    static ModelFileCheck.Result validate(Path file) {
        // TODO(gguf branch): GgufReader.open(file) → validateVocabulary(), architecture
        return new ModelFileCheck.Result("llama");
    }
}
