package dev.hearth.inference.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixtureModelTest {
    @TempDir
    Path dir;

    @Test
    void tinyFixtureReReadsWithTheExpectedModelInfo() throws Exception {
        var path = FixtureModel.builder().write(dir.resolve("tiny.gguf"));
        var file = GgufReader.open(path);
        var info = file.modelInfo();

        assertEquals(3, file.version());
        assertEquals("llama", info.architecture());
        assertEquals("Hearth fixture", info.name());
        assertEquals("F32", info.fileType());
        assertEquals(64, info.embeddingLength());
        assertEquals(2, info.blockCount());
        assertEquals(4, info.headCount());
        assertEquals(4, info.headCountKv());
        assertEquals(16, info.keyLength());
        assertEquals(2048, info.contextLength());
        assertEquals(600, info.vocabularySize());
        assertEquals("llama", info.tokenizerModel());
        assertTrue(info.hasChatTemplate());
        assertEquals(FixtureModel.CHATML_TEMPLATE, info.chatTemplate());
        assertEquals("<s>", info.specialToken("bos").orElseThrow().text());
        assertEquals("</s>", info.specialToken("eos").orElseThrow().text());
        assertEquals("<|im_end|>", info.specialToken("eot").orElseThrow().text());
        assertEquals(2 + 2 * 9 + 1, file.tensors().size());
        long expectedParameters = 2L * 64 * 600 + 64 + 2 * (2 * 64 + 4L * 64 * 64 + 3L * 64 * 160);
        assertEquals(expectedParameters, info.parameterCount());
        assertEquals(expectedParameters * 4, info.weightsBytes());
        assertEquals(file.tensors().size(), info.tensorTypes().get(GgmlType.F32).tensors());
        assertTrue(Files.size(path) < 1_000_000, "tiny fixture is under 1 MB: " + Files.size(path));
    }

    @Test
    void q8FixtureKeepsNormsInF32AndQuantisesTheMatrices() throws Exception {
        var path = FixtureModel.builder().type(GgmlType.Q8_0).write(dir.resolve("q8.gguf"));
        var info = GgufReader.open(path).modelInfo();

        assertEquals("Q8_0", info.fileType());
        assertEquals(2 * 2 + 1, info.tensorTypes().get(GgmlType.F32).tensors());
        assertEquals(2 + 2 * 7, info.tensorTypes().get(GgmlType.Q8_0).tensors());
    }

    @Test
    void sameSettingsWriteTheSameBytes() throws Exception {
        var a = FixtureModel.builder().seed(7).write(dir.resolve("a.gguf"));
        var b = FixtureModel.builder().seed(7).write(dir.resolve("b.gguf"));
        var c = FixtureModel.builder().seed(8).write(dir.resolve("c.gguf"));

        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)));
    }

    @Test
    void aCustomVocabularyIsWrittenAsGiven() throws Exception {
        var tokens = java.util.List.of("<unk>", "<s>", "</s>", "<0x0A>", "<|im_end|>", "▁hi", "x");
        var file = GgufReader.open(FixtureModel.builder().vocabulary(300).tokens(tokens).write(dir.resolve("custom.gguf")));

        assertEquals(tokens, file.tokens());
        assertEquals(7, file.modelInfo().vocabularySize());
        var types = file.optionalArray("tokenizer.ggml.token_type").orElseThrow().elements();
        assertEquals(java.util.List.of(2, 3, 3, 6, 3, 1, 1),
                types.stream().map(v -> ((GgufValue.Int32) v).value()).toList());
    }

    @Test
    void generatedVocabularyHasNoDuplicatesAndTheDocumentedLayout() {
        var vocabulary = FixtureModel.generatedVocabulary(150_000);

        assertEquals(150_000, vocabulary.size());
        assertEquals(150_000, new HashSet<>(vocabulary).size());
        assertEquals("<unk>", vocabulary.get(FixtureModel.UNK_ID));
        assertEquals("<0x00>", vocabulary.get(FixtureModel.FIRST_BYTE_ID));
        assertEquals("<0xFF>", vocabulary.get(FixtureModel.FIRST_BYTE_ID + 255));
        assertEquals("<|im_start|>", vocabulary.get(FixtureModel.IM_START_ID));
        assertEquals("<|im_end|>", vocabulary.get(FixtureModel.IM_END_ID));
        assertNotEquals(vocabulary.get(1000), vocabulary.get(1001));
    }
}
