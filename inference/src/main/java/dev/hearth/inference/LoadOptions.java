package dev.hearth.inference;

import dev.hearth.inference.gguf.KvCacheType;

/// How to load a model. `0` in [#contextSize()] means min(training context, 8192); `0` in [#threads()] means
/// the number of physical cores; `0` in [#batchThreads()] means the same as [#threads()].
///
/// @param gpuLayers layers to offload to the GPU, 0..[#ALL_LAYERS]
/// @param mainGpu index of the GPU that holds the whole model when not split
/// @param contextSize context length in tokens, or 0 for the default
/// @param batchSize logical batch size for prompt evaluation
/// @param microBatchSize physical batch size
/// @param threads threads for generation, or 0 for the physical cores
/// @param batchThreads threads for prompt evaluation, or 0 for [#threads()]
/// @param flashAttention use flash attention
/// @param kvCacheType KV cache element type (quantized types need flash attention)
/// @param mmap map the file instead of reading it
/// @param mlock lock the model in RAM
public record LoadOptions(
        int gpuLayers,
        int mainGpu,
        int contextSize,
        int batchSize,
        int microBatchSize,
        int threads,
        int batchThreads,
        boolean flashAttention,
        KvCacheType kvCacheType,
        boolean mmap,
        boolean mlock) {

    /// Offload every layer.
    public static final int ALL_LAYERS = 999;
    /// The context used when the options ask for the default and the model was trained on more.
    public static final int DEFAULT_CONTEXT_CAP = 8192;
    public static final LoadOptions DEFAULT =
            new LoadOptions(0, 0, 0, 2048, 512, 0, 0, false, KvCacheType.F16, true, false);

    public LoadOptions {
        if (gpuLayers < 0 || gpuLayers > ALL_LAYERS)
            throw new IllegalArgumentException("GPU layers must be 0.." + ALL_LAYERS + ", got " + gpuLayers);
        if (mainGpu < 0) throw new IllegalArgumentException("main GPU must be >= 0, got " + mainGpu);
        if (contextSize < 0) throw new IllegalArgumentException("context size must be >= 0, got " + contextSize);
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (microBatchSize < 1 || microBatchSize > batchSize)
            throw new IllegalArgumentException(
                    "micro-batch size must be 1..batch size (" + batchSize + "), got " + microBatchSize);
        if (threads < 0 || threads > 512) throw new IllegalArgumentException("threads must be 0..512, got " + threads);
        if (batchThreads < 0 || batchThreads > 512)
            throw new IllegalArgumentException("batch threads must be 0..512, got " + batchThreads);
        if (kvCacheType == null) throw new IllegalArgumentException("KV cache type is required");
        if (kvCacheType != KvCacheType.F16 && !flashAttention)
            throw new IllegalArgumentException("a quantized KV cache (" + kvCacheType + ") needs flash attention");
    }

    public LoadOptions withGpuLayers(int n) {
        return new LoadOptions(n, mainGpu, contextSize, batchSize, microBatchSize, threads, batchThreads,
                flashAttention, kvCacheType, mmap, mlock);
    }

    public LoadOptions withContextSize(int n) {
        return new LoadOptions(gpuLayers, mainGpu, n, batchSize, microBatchSize, threads, batchThreads,
                flashAttention, kvCacheType, mmap, mlock);
    }

    public LoadOptions withThreads(int n) {
        return new LoadOptions(gpuLayers, mainGpu, contextSize, batchSize, microBatchSize, n, batchThreads,
                flashAttention, kvCacheType, mmap, mlock);
    }

    public LoadOptions withBatchThreads(int n) {
        return new LoadOptions(gpuLayers, mainGpu, contextSize, batchSize, microBatchSize, threads, n,
                flashAttention, kvCacheType, mmap, mlock);
    }

    public LoadOptions withFlashAttention(boolean on, KvCacheType kv) {
        return new LoadOptions(gpuLayers, mainGpu, contextSize, batchSize, microBatchSize, threads, batchThreads,
                on, kv, mmap, mlock);
    }

    public LoadOptions withBatch(int batch, int microBatch) {
        return new LoadOptions(gpuLayers, mainGpu, contextSize, batch, microBatch, threads, batchThreads,
                flashAttention, kvCacheType, mmap, mlock);
    }

    public LoadOptions withMemory(boolean useMmap, boolean useMlock) {
        return new LoadOptions(gpuLayers, mainGpu, contextSize, batchSize, microBatchSize, threads, batchThreads,
                flashAttention, kvCacheType, useMmap, useMlock);
    }

    /// The context length to use for a model trained on `trainingContext` tokens.
    public int effectiveContextSize(int trainingContext) {
        if (contextSize > 0) return contextSize;
        int train = trainingContext > 0 ? trainingContext : DEFAULT_CONTEXT_CAP;
        return Math.min(train, DEFAULT_CONTEXT_CAP);
    }

    /// The generation threads to use: [#threads()] or the number of physical cores.
    public int effectiveThreads() {
        return threads > 0 ? threads : PhysicalCores.count();
    }

    /// The prompt-evaluation threads to use.
    public int effectiveBatchThreads() {
        return batchThreads > 0 ? batchThreads : effectiveThreads();
    }
}
