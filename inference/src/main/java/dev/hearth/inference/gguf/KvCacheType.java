package dev.hearth.inference.gguf;

/// Element types llama.cpp can keep its KV cache in, with their size per element.
public enum KvCacheType {
    /// 32-bit floats: 4 bytes per element.
    F32(4, 1),
    /// 16-bit floats, llama.cpp's default: 2 bytes per element.
    F16(2, 1),
    /// 8-bit blocks: 34 bytes per 32 elements.
    Q8_0(34, 32),
    /// 4-bit blocks: 18 bytes per 32 elements.
    Q4_0(18, 32);

    private final int blockBytes;
    private final int blockElements;

    KvCacheType(int blockBytes, int blockElements) {
        this.blockBytes = blockBytes;
        this.blockElements = blockElements;
    }

    /// Bytes `elements` elements take (rounded up to whole blocks), saturating at `Long.MAX_VALUE`.
    public long bytes(long elements) {
        long blocks = elements / blockElements + (elements % blockElements == 0 ? 0 : 1);
        return blocks > Long.MAX_VALUE / blockBytes ? Long.MAX_VALUE : blocks * blockBytes;
    }
}
