package dev.hearth.inference.gguf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The fixture is only useful if the real llama.cpp (b4916, java-llama.cpp 4.2.0) loads it and
/// generates prompt-dependent text with it.
class FixtureModelLlamaTest {
    @TempDir
    Path dir;

    @Test
    void llamaCppLoadsTheTinyFixtureAndGenerationDependsOnThePrompt() throws Exception {
        var path = FixtureModel.builder().write(dir.resolve("tiny.gguf"));
        try (var model = new LlamaModel(new ModelParameters().setModel(path.toString()).setCtxSize(256))) {
            String a = generate(model, "Hello world");
            String b = generate(model, "the number of people");
            System.out.println("[" + a + "] [" + b + "]");
            assertFalse(a.isEmpty());
            assertNotEquals(a, b);
        }
    }

    private static String generate(LlamaModel model, String prompt) {
        var text = new StringBuilder();
        for (var output : model.generate(new InferenceParameters(prompt).setTemperature(0).setNPredict(8))) {
            text.append(output.text);
        }
        return text.toString();
    }
}
