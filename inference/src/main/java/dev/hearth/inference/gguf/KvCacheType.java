package dev.hearth.inference.gguf;

/// Element types llama.cpp can keep its KV cache in, with their size per element: both what a load option asks
/// llama.cpp for and what the memory estimates count. Quantized types need flash attention in llama.cpp b4916.
public enum KvCacheType {
    /// 32-bit floats: 4 bytes per element.
    F32(GgmlType.F32, 4, 1),
    /// 16-bit floats, llama.cpp's default: 2 bytes per element.
    F16(GgmlType.F16, 2, 1),
    /// 8-bit blocks: 34 bytes per 32 elements.
    Q8_0(GgmlType.Q8_0, 34, 32),
    /// 4-bit blocks: 18 bytes per 32 elements.
    Q4_0(GgmlType.Q4_0, 18, 32);

    private final GgmlType type;
    private final int blockBytes;
    private final int blockElements;

    KvCacheType(GgmlType type, int blockBytes, int blockElements) {
        this.type = type;
        this.blockBytes = blockBytes;
        this.blockElements = blockElements;
    }

    /// The `ggml_type` value llama.cpp uses for this cache type.
    public int ggmlType() {
        return type.id();
    }

    /// Elements per block (1 for the float types): a row of the cache must be a whole number of blocks.
    public int blockElements() {
        return blockElements;
    }

    /// Bytes `elements` elements take (rounded up to whole blocks), saturating at `Long.MAX_VALUE`.
    public long bytes(long elements) {
        long blocks = elements / blockElements + (elements % blockElements == 0 ? 0 : 1);
        return blocks > Long.MAX_VALUE / blockBytes ? Long.MAX_VALUE : blocks * blockBytes;
    }
}
