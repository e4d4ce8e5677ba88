package dev.hearth.inference.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelFitTest {
    static final long GB = 1L << 30;
    static final long MB = 1L << 20;

    // 32 layers, 4 GiB weights + 1 GiB KV = 160 MiB per layer, 512 MiB overhead: 5.5 GiB in all
    static final FitEstimate SEVEN_B = new FitEstimate(4 * GB, GB, 32, 512 * MB);

    @Test
    void aModelThatFitsTheGpuWithOverheadFitsOnGpu() {
        var fit = ModelFit.classify(SEVEN_B, new MemoryBudget(2 * GB, List.of(new GpuMemory("RTX", 6 * GB))));
        assertEquals(new ModelFit.FitsOnGpu(32), fit);
        assertEquals("fits on GPU", fit.label());
    }

    @Test
    void aSmallerGpuTakesWholeLayersAndTheRestGoesToRam() {
        // 4 GiB - 512 MiB overhead = 3584 MiB / 160 MiB = 22 layers; 10 × 160 MiB = 1600 MiB in RAM
        var fit = ModelFit.classify(SEVEN_B, new MemoryBudget(2 * GB, List.of(new GpuMemory("small", 4 * GB))));
        assertEquals(new ModelFit.PartialOffload(22, 32), fit);
        assertEquals("partial offload (22 of 32 layers)", fit.label());
    }

    @Test
    void layersAddUpAcrossGpusAndOnlyTheFirstPaysTheOverhead() {
        // (3 GiB - 512 MiB) / 160 = 16 layers, 3 GiB / 160 = 19 layers: 35 >= 32
        var fit = ModelFit.classify(SEVEN_B, new MemoryBudget(0, List.of(new GpuMemory("a", 3 * GB), new GpuMemory("b", 3 * GB))));
        assertEquals(new ModelFit.FitsOnGpu(32), fit);
    }

    @Test
    void withoutGpusAModelThatFitsRamRunsOnCpu() {
        assertEquals(new ModelFit.CpuOnly(), ModelFit.classify(SEVEN_B, new MemoryBudget(6 * GB, List.of())));
        assertEquals("CPU only", new ModelFit.CpuOnly().label());
    }

    @Test
    void aGpuTooSmallForOneLayerMeansCpuOnly() {
        var fit = ModelFit.classify(SEVEN_B, new MemoryBudget(6 * GB, List.of(new GpuMemory("tiny", 600 * MB))));
        assertEquals(new ModelFit.CpuOnly(), fit);
    }

    @Test
    void tooLittleRamForTheLayersLeftOverIsTooLarge() {
        // 22 layers on the GPU, 10 × 160 MiB = 1600 MiB left, only 1 GiB RAM
        var fit = ModelFit.classify(SEVEN_B, new MemoryBudget(GB, List.of(new GpuMemory("small", 4 * GB))));
        assertEquals(new ModelFit.TooLarge(SEVEN_B.totalBytes(), GB + 4 * GB - 512 * MB), fit);
        assertEquals("too large", fit.label());
    }

    @Test
    void exactlyEnoughRamIsEnough() {
        assertEquals(new ModelFit.CpuOnly(), ModelFit.classify(SEVEN_B, new MemoryBudget(SEVEN_B.totalBytes(), List.of())));
        assertEquals(new ModelFit.TooLarge(SEVEN_B.totalBytes(), SEVEN_B.totalBytes() - 1),
                ModelFit.classify(SEVEN_B, new MemoryBudget(SEVEN_B.totalBytes() - 1, List.of())));
    }
}
