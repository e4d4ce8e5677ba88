package dev.hearth.ui.engine;

import dev.hearth.inference.library.FitEstimate;
import dev.hearth.inference.library.GpuMemory;
import dev.hearth.inference.library.ModelFit;
import dev.hearth.ui.Units;
import java.util.ArrayList;
import java.util.List;

/// Whether several loads fit this machine before any of them starts: all at once (each placed, with the load
/// dialog's [LoadFit], in the memory the ones before it left) or one after another (each alone, so the largest
/// decides).
///
/// @param together       whether the loads are held at once
/// @param loads          each load with its estimate and where it goes
/// @param neededBytes    the sum of the estimates (together) or the largest (one after another)
/// @param availableBytes free RAM, plus the GPUs' free memory when layers can go there
public record MemoryCheck(boolean together, List<Load> loads, long neededBytes, long availableBytes) {
    /// One load, its estimate, and where it fits ([ModelFit.TooLarge] when it does not).
    public record Load(LoadRequest request, FitEstimate need, ModelFit fit) {}

    public MemoryCheck {
        loads = List.copyOf(loads);
    }

    /// Whether every load fits.
    public boolean fits() {
        return loads.stream().noneMatch(l -> l.fit() instanceof ModelFit.TooLarge);
    }

    /// The loads held at once: each takes its share of RAM and GPU memory from what the ones before it left.
    public static MemoryCheck together(List<LoadRequest> requests, List<FitEstimate> needs, Machine machine) {
        check(requests, needs);
        var left = machine;
        var loads = new ArrayList<Load>();
        long sum = 0;
        for (int i = 0; i < requests.size(); i++) {
            var need = needs.get(i);
            var fit = LoadFit.of(need, left, requests.get(i).options().gpuLayers());
            loads.add(new Load(requests.get(i), need, fit));
            left = without(left, need, fit);
            sum += need.totalBytes();
        }
        return new MemoryCheck(true, loads, sum, available(machine));
    }

    /// The loads held one at a time: each must fit the machine alone.
    public static MemoryCheck oneAfterAnother(List<LoadRequest> requests, List<FitEstimate> needs, Machine machine) {
        check(requests, needs);
        var loads = new ArrayList<Load>();
        long largest = 0;
        for (int i = 0; i < requests.size(); i++) {
            var need = needs.get(i);
            loads.add(new Load(requests.get(i), need, LoadFit.of(need, machine, requests.get(i).options().gpuLayers())));
            largest = Math.max(largest, need.totalBytes());
        }
        return new MemoryCheck(false, loads, largest, available(machine));
    }

    /// One sentence for the place where Run was pressed: what does not fit and how much is free.
    public String sentence() {
        var tooLarge = loads.stream().filter(l -> l.fit() instanceof ModelFit.TooLarge).map(MemoryCheck::name).toList();
        if (tooLarge.isEmpty()) return "The models fit in memory (" + Units.bytes(neededBytes) + " of "
                + Units.bytes(availableBytes) + " free).";
        if (together && loads.size() > 1) {
            return "Loaded together, " + String.join(", ", loads.stream().map(MemoryCheck::name).toList()) + " need "
                    + Units.bytes(neededBytes) + "; " + Units.bytes(availableBytes) + " is free.";
        }
        var big = loads.stream().filter(l -> l.fit() instanceof ModelFit.TooLarge).findFirst().orElseThrow();
        return String.join(", ", tooLarge) + (tooLarge.size() == 1 ? " needs " : " need ")
                + Units.bytes(big.need().totalBytes()) + (tooLarge.size() == 1 ? "" : " or more") + "; "
                + Units.bytes(availableBytes) + " is free: it cannot be loaded.";
    }

    private static String name(Load l) {
        var f = l.request().model().getFileName();
        return f == null ? l.request().model().toString() : f.toString();
    }

    private static void check(List<LoadRequest> requests, List<FitEstimate> needs) {
        if (requests.size() != needs.size()) throw new IllegalArgumentException("one estimate per load");
    }

    private static long available(Machine m) {
        return m.freeRamBytes() + (m.canOffload() ? m.gpus().stream().mapToLong(GpuMemory::freeBytes).sum() : 0);
    }

    /// The machine after a load took its share: layers on the GPUs (the compute buffers on the first), the rest in RAM.
    static Machine without(Machine m, FitEstimate need, ModelFit fit) {
        long perLayer = Math.max(1, need.bytesPerLayer());
        long gpu = switch (fit) {
            case ModelFit.FitsOnGpu _ -> need.totalBytes();
            case ModelFit.PartialOffload p -> p.gpuLayers() * perLayer + need.overheadBytes();
            case ModelFit.CpuOnly _, ModelFit.TooLarge _ -> 0;
        };
        long ram = switch (fit) {
            case ModelFit.FitsOnGpu _ -> 0;
            case ModelFit.PartialOffload p -> (long) (p.totalLayers() - p.gpuLayers()) * perLayer;
            case ModelFit.CpuOnly _, ModelFit.TooLarge _ -> need.totalBytes();
        };
        var gpus = new ArrayList<GpuMemory>();
        for (var g : m.gpus()) {
            long take = Math.min(gpu, g.freeBytes());
            gpu -= take;
            gpus.add(new GpuMemory(g.name(), g.freeBytes() - take));
        }
        return new Machine(Math.max(0, m.freeRamBytes() - ram), gpus, m.gpuOffload(), m.mmap(), m.mlock(),
                m.physicalCores());
    }
}
