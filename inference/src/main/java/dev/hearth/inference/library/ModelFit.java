package dev.hearth.inference.library;

/// Whether a model fits this machine for a chosen context and KV-cache type: all layers on the GPUs, some of them,
/// none (but in RAM), or not at all. Layers are whole units: a GPU holds `floor(free / bytesPerLayer)` of them.
public sealed interface ModelFit {
    /// Every layer, the KV cache and the compute buffers fit in the GPUs' free memory.
    record FitsOnGpu(int layers) implements ModelFit {}

    /// `gpuLayers` of `totalLayers` layers fit on the GPUs; the rest runs from RAM (`-ngl gpuLayers`).
    record PartialOffload(int gpuLayers, int totalLayers) implements ModelFit {}

    /// No GPU (or no room on one), but the whole model fits in free RAM.
    record CpuOnly() implements ModelFit {}

    /// Neither GPUs nor RAM have room: `neededBytes` against `availableBytes` (RAM plus usable GPU memory).
    record TooLarge(long neededBytes, long availableBytes) implements ModelFit {}

    /// The badge text: "fits on GPU", "partial offload (N of M layers)", "CPU only", "too large".
    default String label() {
        return switch (this) {
            case FitsOnGpu _ -> "fits on GPU";
            case PartialOffload p -> "partial offload (" + p.gpuLayers() + " of " + p.totalLayers() + " layers)";
            case CpuOnly _ -> "CPU only";
            case TooLarge _ -> "too large";
        };
    }

    /// Classifies `need` against `budget`.
    ///
    /// The compute overhead is taken from the first GPU (where llama.cpp puts its main buffers); each GPU then holds
    /// as many whole layers as its free memory allows. All layers on GPUs: [FitsOnGpu]. Some: [PartialOffload] when
    /// the remaining layers fit in RAM. None: [CpuOnly] when the whole model fits in RAM. Otherwise [TooLarge].
    static ModelFit classify(FitEstimate need, MemoryBudget budget) {
        int layers = need.layerCount();
        long perLayer = Math.max(1, need.bytesPerLayer());
        long gpuLayers = 0;
        long gpuUsable = 0;
        boolean first = true;
        for (var gpu : budget.gpus()) {
            long usable = gpu.freeBytes() - (first ? need.overheadBytes() : 0);
            first = false;
            if (usable <= 0) continue;
            gpuUsable += usable;
            gpuLayers += usable / perLayer;
        }
        if (gpuLayers >= layers) return new FitsOnGpu(layers);
        long ram = budget.freeRamBytes();
        if (gpuLayers > 0) {
            long rest = (layers - gpuLayers) * perLayer;
            if (rest <= ram) return new PartialOffload((int) gpuLayers, layers);
        }
        if (need.totalBytes() <= ram) return new CpuOnly();
        return new TooLarge(need.totalBytes(), ram + gpuUsable);
    }
}
