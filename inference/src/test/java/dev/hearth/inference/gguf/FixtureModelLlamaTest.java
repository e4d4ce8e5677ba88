package dev.hearth.inference.gguf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/// The fixture is only useful if the real llama.cpp (b4916, java-llama.cpp 4.2.0) loads it and
/// generates prompt-dependent, non-degenerate text with it.
class FixtureModelLlamaTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(names = {"F32", "Q8_0"})
    void llamaCppLoadsTheTinyFixtureAndGenerationDependsOnThePrompt(GgmlType type) throws Exception {
        var path = FixtureModel.builder().type(type).write(dir.resolve("tiny-" + type + ".gguf"));
        try (var model = new LlamaModel(new ModelParameters().setModel(path.toString()).setCtxSize(256).setThreads(2))) {
            String a = generate(model, "Hello world");
            String b = generate(model, "the number of people");

            assertFalse(a.isEmpty());
            assertNotEquals(a, b, "different prompts give different continuations");
            long distinct = Arrays.stream(model.encode(a + b)).distinct().count();
            assertTrue(distinct >= 4, "continuations are not one token repeated: [" + a + "] [" + b + "]");
        }
    }

    private static String generate(LlamaModel model, String prompt) {
        var text = new StringBuilder();
        for (var output : model.generate(new InferenceParameters(prompt).setTemperature(0).setNPredict(12))) {
            text.append(output.text);
        }
        return text.toString();
    }
}
