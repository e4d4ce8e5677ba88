package dev.hearth.ui.engine;

import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.library.FitEstimate;
import dev.hearth.inference.library.ModelFit;

/// The fit badge for a load with a chosen number of GPU layers, from the library's [ModelFit#classify].
public final class LoadFit {
    private LoadFit() {}

    /// How a load of `need` with `gpuLayers` offloaded ([LoadOptions#ALL_LAYERS] for all) sits on `machine`.
    /// No layers (or no GPU offload) counts RAM only; otherwise the machine's own classification, narrowed to the
    /// chosen layers when fewer are asked for than would fit.
    public static ModelFit of(FitEstimate need, Machine machine, int gpuLayers) {
        if (gpuLayers <= 0 || !machine.canOffload()) return ModelFit.classify(need, machine.ramOnly());
        var possible = ModelFit.classify(need, machine.budget());
        int layers = need.layerCount();
        int wanted = Math.min(gpuLayers == LoadOptions.ALL_LAYERS ? layers : gpuLayers, layers);
        return switch (possible) {
            case ModelFit.FitsOnGpu f -> wanted >= layers ? f : partial(need, machine, wanted);
            case ModelFit.PartialOffload p -> wanted >= p.gpuLayers() ? p : partial(need, machine, wanted);
            case ModelFit.CpuOnly c -> c;
            case ModelFit.TooLarge t -> t;
        };
    }

    /// The number of layers to offload by default: all that fit, none without a GPU.
    public static int suggestedGpuLayers(FitEstimate need, Machine machine) {
        if (!machine.canOffload()) return 0;
        return switch (ModelFit.classify(need, machine.budget())) {
            case ModelFit.FitsOnGpu f -> f.layers();
            case ModelFit.PartialOffload p -> p.gpuLayers();
            case ModelFit.CpuOnly _, ModelFit.TooLarge _ -> 0;
        };
    }

    private static ModelFit partial(FitEstimate need, Machine machine, int onGpu) {
        long rest = (long) (need.layerCount() - onGpu) * Math.max(1, need.bytesPerLayer());
        if (rest <= machine.freeRamBytes()) return new ModelFit.PartialOffload(onGpu, need.layerCount());
        long gpuFree = machine.gpus().stream().mapToLong(g -> g.freeBytes()).sum();
        return new ModelFit.TooLarge(need.totalBytes(), machine.freeRamBytes() + gpuFree);
    }
}
