package dev.hearth.inference.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Each defect named in the issue is refused with a one-line reason.
class GgufValidationTest {
    @TempDir
    Path dir;

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private String refusal(Path path) {
        var e = assertThrows(GgufFormatException.class, () -> GgufReader.open(path));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private byte[] tiny() throws IOException {
        return Files.readAllBytes(FixtureModel.builder().write(dir.resolve("base.gguf")));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        throw new AssertionError("not found: " + new String(needle, StandardCharsets.UTF_8));
    }

    /// Position of the type field of the tensor info named `name` (one with `dims` dimensions).
    private static int tensorTypeField(byte[] bytes, String name, int dims) {
        byte[] needle = ("output_norm.weight".equals(name) ? name : name).getBytes(StandardCharsets.UTF_8);
        int at = indexOf(bytes, needle);
        return at + needle.length + 4 + 8 * dims;
    }

    private static void putLong(byte[] bytes, int at, long value) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
    }

    private static void putInt(byte[] bytes, int at, int value) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
    }

    @Test
    void aFileThatIsNotGgufIsRefusedByItsMagic() throws Exception {
        var path = file("elf.gguf", new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        assertEquals("not a GGUF file (magic 0x7f454c46, expected \"GGUF\")", refusal(path));
        var text = file("text.gguf", "hello world, not a model".getBytes(StandardCharsets.US_ASCII));
        assertEquals("not a GGUF file (magic \"hell\", expected \"GGUF\")", refusal(text));
    }

    @Test
    void aTinyOrEmptyFileIsNotGguf() throws Exception {
        assertEquals("not a GGUF file (only 0 bytes)", refusal(file("empty.gguf", new byte[0])));
        assertEquals("not a GGUF file (only 3 bytes)", refusal(file("three.gguf", new byte[] {'G', 'G', 'U'})));
    }

    @Test
    void anUnknownVersionIsRefused() throws Exception {
        byte[] bytes = tiny();
        putInt(bytes, 4, 7);
        assertEquals("unsupported GGUF version 7, expected 2 or 3", refusal(file("v7.gguf", bytes)));
        putInt(bytes, 4, 1);
        assertTrue(refusal(file("v1.gguf", bytes)).startsWith("unsupported GGUF version 1"));
        putInt(bytes, 4, Integer.reverseBytes(3));
        assertEquals("unsupported GGUF version 50331648 (a big-endian file)", refusal(file("be.gguf", bytes)));
    }

    @Test
    void aTruncatedHeaderIsRefused() throws Exception {
        byte[] bytes = Arrays.copyOf(tiny(), 12);
        assertEquals("truncated: the file ends at byte 12 inside header (needs 16 bytes)", refusal(file("cut.gguf", bytes)));
    }

    @Test
    void aFileCutInsideItsMetadataIsRefused() throws Exception {
        byte[] bytes = Arrays.copyOf(tiny(), 2000);
        assertTrue(refusal(file("cut.gguf", bytes)).startsWith("truncated: the file ends at byte 2000 inside metadata"));
    }

    @Test
    void aFileCutInsideItsTensorDataIsRefused() throws Exception {
        byte[] full = tiny();
        byte[] bytes = Arrays.copyOf(full, full.length - 1000);
        assertTrue(refusal(file("cut.gguf", bytes)).matches("tensor 'output.weight' extends past the end of the file .*"));
    }

    @Test
    void absurdCountsAreRefusedBeforeAllocating() throws Exception {
        byte[] bytes = tiny();
        putLong(bytes, 16, Long.MAX_VALUE);
        assertTrue(refusal(file("kv.gguf", bytes)).startsWith("absurd number of metadata entries: 9223372036854775807"));
        bytes = tiny();
        putLong(bytes, 8, -1);
        assertTrue(refusal(file("tensors.gguf", bytes)).startsWith("absurd number of tensors: 18446744073709551615"));
    }

    @Test
    void absurdStringAndArrayLengthsAreRefused() throws Exception {
        byte[] bytes = tiny();
        int name = indexOf(bytes, "Hearth fixture".getBytes(StandardCharsets.UTF_8));
        putLong(bytes, name - 8, 1L << 40);
        assertTrue(refusal(file("string.gguf", bytes)).startsWith("absurd string length 1099511627776 in 'general.name'"));

        bytes = tiny();
        int tokens = indexOf(bytes, "tokenizer.ggml.tokens".getBytes(StandardCharsets.UTF_8));
        putLong(bytes, tokens + "tokenizer.ggml.tokens".length() + 4 + 4, 1L << 50);
        assertTrue(refusal(file("array.gguf", bytes)).startsWith("absurd array length 1125899906842624 in 'tokenizer.ggml.tokens'"));

        bytes = tiny();
        putLong(bytes, 24, 1L << 62); // length of the first key
        assertTrue(refusal(file("key.gguf", bytes)).startsWith("absurd length 4611686018427387904 of metadata key 0"));
    }

    @Test
    void arraysNestedTooDeeplyAreRefused() throws Exception {
        GgufValue value = GgufValue.Array.ofInts(1);
        for (int i = 0; i < 9; i++) value = GgufValue.Array.of(GgufValueType.ARRAY, List.of(value));
        var path = dir.resolve("deep.gguf");
        new GgufWriter().put("deep", value).write(path);
        assertEquals("metadata 'deep' nests arrays deeper than 8 levels", refusal(path));
    }

    @Test
    void unknownValueTypesAreRefused() throws Exception {
        byte[] bytes = tiny();
        int key = indexOf(bytes, "general.architecture".getBytes(StandardCharsets.UTF_8));
        putInt(bytes, key + "general.architecture".length(), 13);
        assertEquals("metadata 'general.architecture' has unknown value type 13", refusal(file("type.gguf", bytes)));
    }

    @Test
    void overlappingTensorsAreRefused() throws Exception {
        var path = dir.resolve("overlap.gguf");
        new GgufWriter()
                .tensorAt("a", GgmlType.F32, new long[] {16}, 0, out -> out.write(new byte[64]))
                .tensorAt("b", GgmlType.F32, new long[] {16}, 32, out -> out.write(new byte[64]))
                .tensorAt("c", GgmlType.F32, new long[] {8}, 128, out -> out.write(new byte[32]))
                .write(Files.newOutputStream(path, java.nio.file.StandardOpenOption.CREATE_NEW)) ;
        assertEquals("tensors 'a' and 'b' overlap", refusal(path));
    }

    @Test
    void misalignedTensorDataIsRefused() throws Exception {
        var path = dir.resolve("misaligned.gguf");
        try (var out = Files.newOutputStream(path)) {
            new GgufWriter().tensorAt("a", GgmlType.F32, new long[] {4}, 4, o -> o.write(new byte[16])).write(out);
        }
        assertEquals("tensor 'a' at offset 4 is not aligned to 32 bytes", refusal(path));
    }

    @Test
    void anAlignmentThatIsNotAPowerOfTwoIsRefused() throws Exception {
        var path = FixtureModel.builder().extraMetadata("general.alignment", new GgufValue.UInt32(48)).write(dir.resolve("a.gguf"));
        assertEquals("general.alignment 48 is not a power of two", refusal(path));
    }

    @Test
    void unknownTensorTypesAreRefused() throws Exception {
        byte[] bytes = tiny();
        putInt(bytes, tensorTypeField(bytes, "output_norm.weight", 1), 31);
        assertEquals("tensor 'output_norm.weight' has unknown type 31", refusal(file("t.gguf", bytes)));
    }

    @Test
    void tensorsWithTooManyDimensionsOrPartialBlocksAreRefused() throws Exception {
        byte[] bytes = tiny();
        int at = indexOf(bytes, "output_norm.weight".getBytes(StandardCharsets.UTF_8)) + "output_norm.weight".length();
        putInt(bytes, at, 5);
        assertEquals("tensor 'output_norm.weight' has 5 dimensions; ggml allows 4", refusal(file("dims.gguf", bytes)));

        var path = dir.resolve("block.gguf");
        try (var out = Files.newOutputStream(path)) {
            new GgufWriter().tensorAt("q", GgmlType.Q8_0, new long[] {16, 2}, 0, o -> o.write(new byte[34])).write(out);
        }
        assertEquals("tensor 'q' has rows of 16 elements, not a multiple of the Q8_0 block size 32", refusal(path));
    }

    @Test
    void duplicateKeysAndTensorNamesAreRefused() throws Exception {
        var keys = dir.resolve("keys.gguf");
        new GgufWriter().putString("general.name", "a").putString("general.name", "b").write(keys);
        assertEquals("duplicate metadata key 'general.name'", refusal(keys));

        var tensors = dir.resolve("tensors.gguf");
        new GgufWriter()
                .tensor("w", GgmlType.F32, new long[] {1}, out -> out.write(new byte[4]))
                .tensor("w", GgmlType.F32, new long[] {1}, out -> out.write(new byte[4]))
                .write(tensors);
        assertEquals("duplicate tensor name 'w'", refusal(tensors));
    }

    @Test
    void duplicateTokenStringsAreRefusedBeforeLlamaCppSeesThem() throws Exception {
        var path = FixtureModel.builder().duplicateToken(300, 500).write(dir.resolve("dup.gguf"));
        String token = FixtureModel.generatedVocabulary(600).get(300);
        assertEquals("duplicate token string '" + token + "' at ids 300 and 500 (llama.cpp would abort)", refusal(path));
    }

    @Test
    void vocabularyArraysOfTheWrongTypeOrLengthAreRefused() throws Exception {
        var ints = FixtureModel.builder().extraMetadata("tokenizer.ggml.tokens", GgufValue.Array.ofInts(1, 2, 3))
                .write(dir.resolve("ints.gguf"));
        assertEquals("tokenizer.ggml.tokens is an array of INT32, expected an array of strings (llama.cpp would abort)",
                refusal(ints));

        var scores = FixtureModel.builder().extraMetadata("tokenizer.ggml.scores", GgufValue.Array.ofFloats(1f))
                .write(dir.resolve("scores.gguf"));
        assertEquals("tokenizer.ggml.scores has 1 entries but the vocabulary has 600 tokens", refusal(scores));

        var types = FixtureModel.builder().extraMetadata("tokenizer.ggml.token_type", GgufValue.Array.ofFloats(new float[600]))
                .write(dir.resolve("types.gguf"));
        assertEquals("tokenizer.ggml.token_type is an array of FLOAT32, expected an array of INT32", refusal(types));
    }

    @Test
    void aMissingFileOrAFolderFailsWithTheUsualIoExceptions() throws Exception {
        assertThrows(NoSuchFileException.class, () -> GgufReader.open(dir.resolve("missing.gguf")));
        var e = assertThrows(IOException.class, () -> GgufReader.open(dir));
        assertFalse(e instanceof GgufFormatException);
    }

    @Test
    void aFileWithoutArchitectureOrVocabularyStillReads() throws Exception {
        var path = dir.resolve("bare.gguf");
        new GgufWriter().write(path);
        var info = GgufReader.open(path).modelInfo();
        assertEquals(null, info.architecture());
        assertEquals(0, info.vocabularySize());
        assertEquals("unspecified", info.fileType());
        assertEquals(0, info.kvCacheBytes(4096, KvCacheType.F16));
    }
}
