package dev.hearth.inference.gguf;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/// What a GGUF file says about its model, derived by [GgufFile#modelInfo()]. Counts the file
/// does not give are 0; texts it does not give are `null`.
///
/// @param architecture    `general.architecture`, e.g. "llama"
/// @param name            `general.name`
/// @param parameterCount  the number of weights (sum of the tensors' elements)
/// @param fileTypeId      `general.file_type` (llama.cpp's `llama_ftype`), -1 when absent
/// @param fileType        a label for it: "F32", "Q8_0", "Q4_K_M", "unspecified", "unknown (99)"
/// @param tensorTypes     per tensor type: how many tensors and bytes (largest first)
/// @param contextLength   training context length
/// @param embeddingLength embedding length (model width)
/// @param blockCount      transformer layers
/// @param headCount       attention heads
/// @param headCountKv     key/value heads (equal to `headCount` unless the file says otherwise)
/// @param keyLength       size of one key head (`attention.key_length`, else width / heads)
/// @param valueLength     size of one value head (`attention.value_length`, else width / heads)
/// @param vocabularySize  tokens in `tokenizer.ggml.tokens`
/// @param tokenizerModel  `tokenizer.ggml.model`, e.g. "llama" (SentencePiece) or "gpt2" (BPE)
/// @param specialTokens   the special tokens the file names (BOS, EOS, …) with their text
/// @param chatTemplate    `tokenizer.chat_template`
/// @param weightsBytes    bytes of all tensor data
/// @param fileSize        bytes of the file
public record ModelInfo(
        @Nullable String architecture,
        @Nullable String name,
        long parameterCount,
        int fileTypeId,
        String fileType,
        Map<GgmlType, TypeStats> tensorTypes,
        long contextLength,
        long embeddingLength,
        long blockCount,
        long headCount,
        long headCountKv,
        long keyLength,
        long valueLength,
        long vocabularySize,
        @Nullable String tokenizerModel,
        List<SpecialToken> specialTokens,
        @Nullable String chatTemplate,
        long weightsBytes,
        long fileSize) {

    public ModelInfo {
        Objects.requireNonNull(fileType, "fileType");
        tensorTypes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tensorTypes));
        specialTokens = List.copyOf(specialTokens);
    }

    /// Tensors of one type: how many and how many bytes.
    public record TypeStats(int tensors, long bytes) {}

    /// A special token.
    ///
    /// @param role "bos", "eos", "unk", "pad", "eot", "eom", "sep" or "mask"
    /// @param id   its id
    /// @param text its text, `null` when the id is outside the vocabulary
    public record SpecialToken(String role, long id, @Nullable String text) {}

    /// Whether the file carries a chat template.
    public boolean hasChatTemplate() {
        return chatTemplate != null;
    }

    /// The special token with this role, if the file names one.
    public java.util.Optional<SpecialToken> specialToken(String role) {
        return specialTokens.stream().filter(t -> t.role().equals(role)).findFirst();
    }

    /// Bytes of a KV cache for `contextSize` tokens: keys and values of every layer,
    /// `layers × context × kvHeads × (keyLength + valueLength)` elements of `type`.
    /// 0 when the file does not give the dimensions; saturates at `Long.MAX_VALUE`.
    public long kvCacheBytes(int contextSize, KvCacheType type) {
        if (contextSize < 0) throw new IllegalArgumentException("contextSize < 0: " + contextSize);
        long perLayerK = multiply(multiply(contextSize, headCountKv), keyLength);
        long perLayerV = multiply(multiply(contextSize, headCountKv), valueLength);
        long k = multiply(blockCount, type.bytes(perLayerK));
        long v = multiply(blockCount, type.bytes(perLayerV));
        return k > Long.MAX_VALUE - v ? Long.MAX_VALUE : k + v;
    }

    /// Estimated memory to run the model with a `contextSize`-token cache of `type`: the weights
    /// plus the KV cache (compute buffers, a few percent more, are not included).
    public long estimatedMemoryBytes(int contextSize, KvCacheType type) {
        long kv = kvCacheBytes(contextSize, type);
        return kv > Long.MAX_VALUE - weightsBytes ? Long.MAX_VALUE : weightsBytes + kv;
    }

    private static long multiply(long a, long b) {
        if (a <= 0 || b <= 0) return 0;
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    /// A label for a `general.file_type` value (llama.cpp's `llama_ftype` names without `MOSTLY_`).
    public static String fileTypeLabel(long id) {
        return switch ((int) Math.max(-1, Math.min(id, Integer.MAX_VALUE))) {
            case -1 -> "unspecified";
            case 0 -> "F32";
            case 1 -> "F16";
            case 2 -> "Q4_0";
            case 3 -> "Q4_1";
            case 4 -> "Q4_1_SOME_F16";
            case 7 -> "Q8_0";
            case 8 -> "Q5_0";
            case 9 -> "Q5_1";
            case 10 -> "Q2_K";
            case 11 -> "Q3_K_S";
            case 12 -> "Q3_K_M";
            case 13 -> "Q3_K_L";
            case 14 -> "Q4_K_S";
            case 15 -> "Q4_K_M";
            case 16 -> "Q5_K_S";
            case 17 -> "Q5_K_M";
            case 18 -> "Q6_K";
            case 19 -> "IQ2_XXS";
            case 20 -> "IQ2_XS";
            case 21 -> "Q2_K_S";
            case 22 -> "IQ3_XS";
            case 23 -> "IQ3_XXS";
            case 24 -> "IQ1_S";
            case 25 -> "IQ4_NL";
            case 26 -> "IQ3_S";
            case 27 -> "IQ3_M";
            case 28 -> "IQ2_S";
            case 29 -> "IQ2_M";
            case 30 -> "IQ4_XS";
            case 31 -> "IQ1_M";
            case 32 -> "BF16";
            case 36 -> "TQ1_0";
            case 37 -> "TQ2_0";
            case 1024 -> "GUESSED";
            default -> "unknown (" + id + ")";
        };
    }
}
