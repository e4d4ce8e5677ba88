package dev.hearth.inference.library;

import java.util.List;

/// Memory a model may use: free RAM and each GPU's free memory.
public record MemoryBudget(long freeRamBytes, List<GpuMemory> gpus) {
    public MemoryBudget {
        if (freeRamBytes < 0) throw new IllegalArgumentException("negative free RAM");
        gpus = List.copyOf(gpus);
    }

    /// Free RAM now ([SystemMemory#availableBytes()]) and the GPUs the engine reported.
    public static MemoryBudget now(List<GpuMemory> gpus) {
        return new MemoryBudget(SystemMemory.availableBytes(), gpus);
    }
}
