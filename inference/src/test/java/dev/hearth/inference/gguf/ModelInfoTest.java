package dev.hearth.inference.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelInfoTest {
    @TempDir
    Path dir;

    @Test
    void kvCacheSizeFollowsLayersContextKvHeadsAndType() throws Exception {
        var info = GgufReader.open(FixtureModel.builder().width(128).heads(8).kvHeads(2).layers(3)
                .write(dir.resolve("gqa.gguf"))).modelInfo();

        // head size 16, 2 KV heads: 32 key and 32 value elements per layer and token
        assertEquals(16, info.keyLength());
        assertEquals(2L * 3 * 1024 * 2 * 16 * 2, info.kvCacheBytes(1024, KvCacheType.F16));
        assertEquals(2L * 3 * 1024 * 2 * 16 * 34 / 32, info.kvCacheBytes(1024, KvCacheType.Q8_0));
        assertEquals(2L * 3 * 1024 * 2 * 16 * 18 / 32, info.kvCacheBytes(1024, KvCacheType.Q4_0));
        assertEquals(info.weightsBytes() + info.kvCacheBytes(512, KvCacheType.F16),
                info.estimatedMemoryBytes(512, KvCacheType.F16));
    }

    @Test
    void theBenchmarkSizedFixtureHasTheExpectedShape() {
        // Checked without writing 230 MB: the builder's derived sizes.
        var builder = FixtureModel.builder().width(512).layers(8).vocabulary(32_000);
        assertEquals(1376, builder.feedForwardLength());
        long params = 2L * 512 * 32_000 + 512 + 8 * (2L * 512 + 4L * 512 * 512 + 3L * 512 * 1376);
        assertEquals(232_294_400, params * 4);
    }

    @Test
    void architecturePrefixesTheHyperParameterKeys() throws Exception {
        var info = GgufReader.open(FixtureModel.builder().architecture("qwen3").withoutChatTemplate()
                .write(dir.resolve("qwen3.gguf"))).modelInfo();

        assertEquals("qwen3", info.architecture());
        assertEquals(64, info.embeddingLength());
        assertEquals(2, info.blockCount());
        assertFalse(info.hasChatTemplate());
        assertNull(info.chatTemplate());
    }

    @Test
    void missingOrMistypedHyperParametersReadAsZero() throws Exception {
        var info = GgufReader.open(FixtureModel.builder()
                .withoutMetadata("llama.context_length")
                .extraMetadata("llama.block_count", new GgufValue.Text("two"))
                .write(dir.resolve("odd.gguf"))).modelInfo();

        assertEquals(0, info.contextLength());
        assertEquals(0, info.blockCount());
        assertEquals(0, info.kvCacheBytes(4096, KvCacheType.F16));
    }

    @Test
    void perLayerHeadCountsUseTheLargest() throws Exception {
        var info = GgufReader.open(FixtureModel.builder()
                .extraMetadata("llama.attention.head_count_kv", GgufValue.Array.ofInts(2, 4))
                .write(dir.resolve("perlayer.gguf"))).modelInfo();

        assertEquals(4, info.headCountKv());
    }

    @Test
    void specialTokenIdsOutsideTheVocabularyHaveNoText() throws Exception {
        var info = GgufReader.open(FixtureModel.builder()
                .extraMetadata("tokenizer.ggml.padding_token_id", new GgufValue.UInt32(9999))
                .write(dir.resolve("pad.gguf"))).modelInfo();

        assertEquals(new ModelInfo.SpecialToken("pad", 9999, null), info.specialToken("pad").orElseThrow());
        assertEquals("<unk>", info.specialToken("unk").orElseThrow().text());
    }

    @Test
    void fileTypeLabelsFollowLlamaCpp() {
        assertEquals("F32", ModelInfo.fileTypeLabel(0));
        assertEquals("Q8_0", ModelInfo.fileTypeLabel(7));
        assertEquals("Q4_K_M", ModelInfo.fileTypeLabel(15));
        assertEquals("BF16", ModelInfo.fileTypeLabel(32));
        assertEquals("unknown (99)", ModelInfo.fileTypeLabel(99));
        assertEquals("unspecified", ModelInfo.fileTypeLabel(-1));
    }
}
