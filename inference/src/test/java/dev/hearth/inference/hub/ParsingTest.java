package dev.hearth.inference.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ParsingTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "-", value = {
        "Meta-Llama-3-8B-Instruct-Q4_K_M.gguf, Q4_K_M",
        "llama-2-7b.Q8_0.gguf, Q8_0",
        "Qwen2.5-7B-Instruct-IQ2_XS.gguf, IQ2_XS",
        "Qwen2.5-7B-Instruct-IQ2_XXS.gguf, IQ2_XXS",
        "phi-3-mini-4k-instruct-f16.gguf, F16",
        "gemma-2-9b-it-BF16.gguf, BF16",
        "Llama-3.2-1B-Instruct-Q4_0_4_4.gguf, Q4_0_4_4",
        "BitNet-b1.58-2B-TQ1_0.gguf, TQ1_0",
        "Qwen3-30B-A3B-UD-Q4_K_XL.gguf, UD-Q4_K_XL",
        "DeepSeek-R1-UD-IQ1_S-00001-of-00003.gguf, UD-IQ1_S",
        "Mistral-7B-v0.3-IQ4_NL.gguf, IQ4_NL",
        "model-q5_k_s.gguf, Q5_K_S",
        "model-Q6_K.gguf, Q6_K",
        "gpt-oss-20b-MXFP4.gguf, MXFP4",
        "tinyllama-F32.gguf, F32",
        "Model-F16-Q4_K_M.gguf, Q4_K_M",
        "Q4_K_M/Big-Q4_K_M-00001-of-00002.gguf, Q4_K_M",
        "mmproj-model.gguf, -",
        "README.md, -",
        "IQuest-7B.gguf, -",
    })
    void quantLabelsAreReadFromFileNames(String name, String expected) {
        assertEquals(Optional.ofNullable(expected), QuantLabel.parse(name));
    }

    @Test
    void splitSetsGroupInShardOrderAndMissingPartsAreFlagged() {
        var files = List.of(
                new RepoFile("m-Q8_0-00002-of-00003.gguf", 2, null),
                new RepoFile("m-Q8_0-00001-of-00003.gguf", 1, null),
                new RepoFile("m-Q4_K_M.gguf", 5, null),
                new RepoFile("x-Q2_K-00001-of-00002.gguf", 1, null),
                new RepoFile("notes.txt", 1, null));
        var variants = GgufVariant.group(files);

        assertEquals(List.of("m-Q8_0", "m-Q4_K_M.gguf", "x-Q2_K"), variants.stream().map(GgufVariant::name).toList());
        assertEquals(List.of("m-Q8_0-00001-of-00003.gguf", "m-Q8_0-00002-of-00003.gguf"),
                variants.getFirst().files().stream().map(RepoFile::path).toList());
        assertFalse(variants.getFirst().complete(), "part 3 is missing");
        assertTrue(variants.get(1).complete());
        assertFalse(variants.get(1).isSplit());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.gguf", "a/../../evil.gguf", "/etc/passwd", "a\\..\\b.gguf", "C:evil.gguf",
        "a//b.gguf", "./a.gguf", "a/./b.gguf", "", "a/..", "bad\u0000name.gguf", "x/.."})
    void unsafeNamesFromTheServerAreRefused(String name) {
        var e = assertThrows(HubException.class, () -> SafePath.resolve(Path.of("/models/o/r"), name));
        assertEquals(HubException.Kind.UNSAFE_PATH, e.kind());
    }

    @Test
    void safeNamesStayInsideTheFolder() throws Exception {
        assertEquals(Path.of("/models/o/r/Q4_K_M/a.gguf"), SafePath.resolve(Path.of("/models/o/r"), "Q4_K_M/a.gguf"));
        assertEquals(Path.of("/models/o/r/..a.gguf"), SafePath.resolve(Path.of("/models/o/r"), "..a.gguf"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b/c", "../b", "a/..", "/b", "a/b c", "a/.hidden"})
    void repoIdsAreOwnerSlashNameAndNothingElse(String text) {
        assertThrows(IllegalArgumentException.class, () -> RepoId.parse(text));
    }

    @Test
    void retryDelaysDoubleUpToTheLimit() {
        var p = new RetryPolicy(6, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5));
        assertEquals(List.of(1L, 2L, 4L, 5L, 5L),
                List.of(1, 2, 3, 4, 5).stream().map(i -> p.delayAfter(i).toSeconds()).toList());
    }
}
