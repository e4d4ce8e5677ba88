package dev.hearth.inference.library;

import dev.hearth.inference.gguf.KvCacheType;
import dev.hearth.inference.gguf.ModelInfo;

/// What a model needs in memory for one context size and KV-cache type, from the GGUF reader's model info:
/// the weights, the KV cache (`kvCacheBytes(ctx, type)`), the number of repeating layers, and the compute buffers.
///
/// @param overheadBytes compute buffers and scratch memory beyond weights and KV cache; on a GPU it must fit on the
///                      first device next to the layers; [#DEFAULT_OVERHEAD] when not known better
public record FitEstimate(long weightsBytes, long kvCacheBytes, int layerCount, long overheadBytes) {
    /// A conservative allowance for llama.cpp's compute buffers: 512 MiB.
    public static final long DEFAULT_OVERHEAD = 512L << 20;

    public FitEstimate {
        if (weightsBytes < 0 || kvCacheBytes < 0 || overheadBytes < 0) throw new IllegalArgumentException("negative size");
        if (layerCount < 1) throw new IllegalArgumentException("a model has at least one layer: " + layerCount);
    }

    public static FitEstimate of(long weightsBytes, long kvCacheBytes, int layerCount) {
        return new FitEstimate(weightsBytes, kvCacheBytes, layerCount, DEFAULT_OVERHEAD);
    }

    /// The estimate for a model the GGUF reader described, at `contextSize` tokens with a `kvType` cache.
    /// `weightsBytes` is passed separately so a split set can count all its parts.
    public static FitEstimate of(ModelInfo info, long weightsBytes, int contextSize, KvCacheType kvType) {
        return of(weightsBytes, info.kvCacheBytes(contextSize, kvType), (int) Math.max(1, Math.min(Integer.MAX_VALUE, info.blockCount())));
    }

    /// Weights plus KV cache plus overhead.
    public long totalBytes() {
        return weightsBytes + kvCacheBytes + overheadBytes;
    }

    /// One layer's share of weights and KV cache (rounded up).
    public long bytesPerLayer() {
        return Math.ceilDiv(weightsBytes + kvCacheBytes, layerCount);
    }
}
