package dev.hearth.inference.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileTest {
    static final int VOCABULARY = 150_000;

    @TempDir
    static Path dir;

    static Path large;

    @BeforeAll
    static void writeLargeVocabularyModel() throws Exception {
        large = LargeVocabularyModel.write(dir.resolve("large.gguf"), VOCABULARY, 300);
    }

    @Test
    void theTokenListOfALargeVocabularyIsNotLoadedByOpening() throws Exception {
        var file = GgufReader.open(large);

        assertFalse(file.optionalArray("tokenizer.ggml.tokens").orElseThrow().isLoaded());
        assertFalse(file.optionalArray("tokenizer.ggml.merges").orElseThrow().isLoaded());
        assertFalse(file.optionalArray("tokenizer.ggml.scores").orElseThrow().isLoaded());
        assertEquals(VOCABULARY, file.tokenCount());
        assertEquals(VOCABULARY, file.modelInfo().vocabularySize());
        assertEquals(300, file.tensors().size());
    }

    @Test
    void tokensAreReadOnDemand() throws Exception {
        var file = GgufReader.open(large);
        var expected = FixtureModel.generatedVocabulary(VOCABULARY);

        assertEquals(expected.get(VOCABULARY - 1), file.token(VOCABULARY - 1));
        assertEquals(expected.get(FixtureModel.IM_START_ID), file.token(FixtureModel.IM_START_ID));
        assertEquals(expected, file.tokens());
        int[] visited = new int[1];
        file.forEachToken((id, _, _, _) -> assertEquals(visited[0]++, id));
        assertEquals(VOCABULARY, visited[0]);
        assertThrows(IndexOutOfBoundsException.class, () -> file.token(VOCABULARY));
        assertFalse(file.optionalArray("tokenizer.ggml.tokens").orElseThrow().isLoaded(), "streamed, not kept");
    }

    @Test
    void specialTokensOfALargeVocabularyCarryTheirText() throws Exception {
        var info = GgufReader.open(large).modelInfo();
        var expected = FixtureModel.generatedVocabulary(VOCABULARY);

        assertEquals(expected.get(VOCABULARY - 1), info.specialToken("eos").orElseThrow().text());
        assertEquals(VOCABULARY - 1, info.specialToken("eos").orElseThrow().id());
        assertEquals("Q4_K_M", info.fileType());
        assertEquals(300 * 16L, info.parameterCount());
    }

    @Test
    void aDuplicateFarIntoALargeVocabularyIsFound() throws Exception {
        var tokens = new java.util.ArrayList<>(FixtureModel.generatedVocabulary(VOCABULARY));
        tokens.set(149_990, tokens.get(70_000));
        var path = dir.resolve("dup.gguf");
        new GgufWriter().put("tokenizer.ggml.tokens", GgufValue.Array.ofStrings(tokens)).write(path);

        var e = assertThrows(GgufFormatException.class, () -> GgufReader.open(path));
        assertEquals("duplicate token string '" + tokens.get(70_000) + "' at ids 70000 and 149990 (llama.cpp would abort)",
                e.getMessage());
    }
}
