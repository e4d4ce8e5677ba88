package dev.hearth.ui.engine;

import dev.hearth.inference.Device;
import dev.hearth.inference.EngineCapabilities;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.library.GpuMemory;
import dev.hearth.inference.library.MemoryBudget;
import dev.hearth.inference.library.SystemMemory;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/// What the load dialog and the fit badges need to know about this machine: free RAM, each GPU's free memory,
/// whether the engine can offload layers at all, and the load options the engine supports.
///
/// @param gpuOffload     what the engine said about GPU offload ([GpuOffload#UNKNOWN] before an engine has answered)
/// @param physicalCores  the default thread count (llama.cpp generates fastest with one thread per physical core)
public record Machine(long freeRamBytes, List<GpuMemory> gpus, GpuOffload gpuOffload, boolean mmap, boolean mlock,
                      int physicalCores) {

    /// Whether layers can go to a GPU.
    public enum GpuOffload {
        /// The engine offloads layers to the GPUs in [#gpus()].
        SUPPORTED,
        /// The engine's native library was built without GPU offload: everything runs on the CPU.
        NOT_SUPPORTED,
        /// No engine has answered yet; the GPUs are not known and only RAM is counted.
        UNKNOWN
    }

    public Machine {
        if (freeRamBytes < 0) throw new IllegalArgumentException("negative free RAM");
        if (physicalCores < 1) throw new IllegalArgumentException("at least one core: " + physicalCores);
        gpus = List.copyOf(gpus);
    }

    /// The machine as an engine reports it (GPU and accelerator devices with their free memory), with free RAM now.
    /// Blocking (reads `/proc/meminfo`): call it off the UI thread.
    public static Machine of(EngineCapabilities capabilities) {
        var gpus = capabilities.devices().stream()
                .filter(d -> d.kind() != Device.Kind.CPU)
                .map(d -> new GpuMemory(d.description().isBlank() ? d.name() : d.description(), Math.max(0, d.memoryFree())))
                .toList();
        return new Machine(SystemMemory.availableBytes(), capabilities.gpuOffload() ? gpus : List.of(),
                capabilities.gpuOffload() ? GpuOffload.SUPPORTED : GpuOffload.NOT_SUPPORTED,
                capabilities.mmap(), capabilities.mlock(), LoadOptions.DEFAULT.effectiveThreads());
    }

    /// Free RAM only, before any engine has reported its devices. Blocking (reads `/proc/meminfo`).
    public static Machine withoutEngine() {
        return new Machine(SystemMemory.availableBytes(), List.of(), GpuOffload.UNKNOWN, true, true,
                LoadOptions.DEFAULT.effectiveThreads());
    }

    /// What [#probe] found: the engine's answer, or RAM only with the reason the engine did not answer.
    public record Probed(Machine machine, @Nullable Exception failure) {}

    /// Asks `engine` (blocking); when it fails, falls back to [#withoutEngine()] and keeps the failure.
    public static Probed probe(Callable<Machine> engine) {
        try {
            return new Probed(engine.call(), null);
        } catch (Exception e) {
            return new Probed(withoutEngine(), e);
        }
    }

    /// The memory a model may use, for [dev.hearth.inference.library.ModelFit#classify].
    public MemoryBudget budget() {
        return new MemoryBudget(freeRamBytes, gpus);
    }

    /// The same memory without the GPUs (a load with no layers offloaded).
    public MemoryBudget ramOnly() {
        return new MemoryBudget(freeRamBytes, List.of());
    }

    public boolean canOffload() {
        return gpuOffload == GpuOffload.SUPPORTED && !gpus.isEmpty();
    }
}
