package dev.hearth.inference;

/// Element type of the KV cache. Quantized types need flash attention in llama.cpp b4916.
public enum KvCacheType {
    F16(1),
    Q8_0(8),
    Q4_0(2);

    private final int ggmlType;

    KvCacheType(int ggmlType) {
        this.ggmlType = ggmlType;
    }

    /// The `ggml_type` value llama.cpp uses for this cache type.
    public int ggmlType() {
        return ggmlType;
    }
}
