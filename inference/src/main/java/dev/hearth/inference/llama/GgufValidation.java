package dev.hearth.inference.llama;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import dev.hearth.inference.gguf.GgufFormatException;
import dev.hearth.inference.gguf.GgufReader;
import java.io.IOException;
import java.nio.file.Path;

/// Full validation through the GGUF reader: structure, truncation, the vocabulary (a duplicated token string
/// makes llama.cpp b4916 abort the process) and the architecture (one this build does not know).
final class GgufValidation {
    private GgufValidation() {}

    static ModelFileCheck.Result validate(Path file, LlamaGeneration generation) {
        String architecture;
        try {
            var gguf = GgufReader.open(file);
            architecture = gguf.modelInfo().architecture();
        } catch (GgufFormatException e) {
            throw new EngineException(Failure.Kind.MODEL_FILE_CORRUPT,
                    file.getFileName() + " is damaged or not a model llama.cpp can load: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new EngineException(Failure.Kind.MODEL_FILE_MISSING, "cannot read " + file + ": " + e, e);
        }
        if (architecture == null)
            throw new EngineException(Failure.Kind.MODEL_FILE_CORRUPT,
                    file.getFileName() + " names no architecture (general.architecture)");
        ModelFileCheck.requireKnownArchitecture(architecture, generation);
        return new ModelFileCheck.Result(architecture);
    }
}
