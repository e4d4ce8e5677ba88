package dev.hearth.inference.gguf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/// A GGUF file shaped like a large modern model's metadata (a BPE vocabulary with merges, many
/// tensors) but with tiny tensors: what the lazy-token test and the metadata benchmark read.
final class LargeVocabularyModel {
    private LargeVocabularyModel() {}

    static Path write(Path path, int vocabulary, int tensorCount) throws IOException {
        List<String> tokens = FixtureModel.generatedVocabulary(vocabulary);
        var merges = new ArrayList<String>(vocabulary);
        for (int i = 0; i < vocabulary; i++) merges.add("m" + i + " x");
        float[] scores = new float[vocabulary];
        int[] types = new int[vocabulary];
        for (int i = 0; i < vocabulary; i++) {
            scores[i] = -i;
            types[i] = 1;
        }
        var writer = new GgufWriter()
                .putString("general.architecture", "llama")
                .putString("general.name", "large vocabulary")
                .putUInt32("general.file_type", 15)
                .putUInt32("llama.context_length", 32_768)
                .putUInt32("llama.embedding_length", 4096)
                .putUInt32("llama.block_count", 32)
                .putUInt32("llama.feed_forward_length", 14_336)
                .putUInt32("llama.attention.head_count", 32)
                .putUInt32("llama.attention.head_count_kv", 8)
                .putUInt32("llama.rope.dimension_count", 128)
                .putFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .putString("tokenizer.ggml.model", "gpt2")
                .put("tokenizer.ggml.tokens", GgufValue.Array.ofStrings(tokens))
                .put("tokenizer.ggml.scores", GgufValue.Array.ofFloats(scores))
                .put("tokenizer.ggml.token_type", GgufValue.Array.ofInts(types))
                .put("tokenizer.ggml.merges", GgufValue.Array.ofStrings(merges))
                .putUInt32("tokenizer.ggml.bos_token_id", 1)
                .putUInt32("tokenizer.ggml.eos_token_id", vocabulary - 1)
                .putString("tokenizer.chat_template", FixtureModel.CHATML_TEMPLATE);
        for (int i = 0; i < tensorCount; i++) {
            writer.tensor("blk." + i / 9 + ".t" + i % 9 + ".weight", GgmlType.F32, new long[] {8, 2},
                    out -> out.write(new byte[64]));
        }
        writer.write(path);
        return path;
    }
}
