package dev.hearth.ui.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.library.FitEstimate;
import dev.hearth.inference.library.GpuMemory;
import dev.hearth.inference.library.ModelFit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/// The memory check's arithmetic on made-up machines (the estimates themselves come from real GGUF files elsewhere).
class MemoryCheckTest {
    private static final long GIB = 1L << 30;
    private static final FitEstimate FOUR_GIB = new FitEstimate(3 * GIB, GIB / 2, 32, GIB / 2);

    private static LoadRequest load(String file, int gpuLayers) {
        return new LoadRequest(Path.of(file), LoadOptions.DEFAULT.withGpuLayers(gpuLayers));
    }

    private static Machine machine(long ram, long gpu) {
        return new Machine(ram, gpu == 0 ? List.of() : List.of(new GpuMemory("GPU", gpu)),
                gpu == 0 ? Machine.GpuOffload.NOT_SUPPORTED : Machine.GpuOffload.SUPPORTED, true, true, 8);
    }

    @Test
    void twoModelsThatEachFitAloneDoNotFitTogetherInRamForOne() {
        var loads = List.of(load("a.gguf", 0), load("b.gguf", 0));
        var needs = List.of(FOUR_GIB, FOUR_GIB);
        var together = MemoryCheck.together(loads, needs, machine(6 * GIB, 0));
        assertFalse(together.fits());
        assertEquals(8 * GIB, together.neededBytes());
        assertInstanceOf(ModelFit.CpuOnly.class, together.loads().get(0).fit());
        assertInstanceOf(ModelFit.TooLarge.class, together.loads().get(1).fit(), "the second finds 2 GiB left");
        assertEquals("Loaded together, a.gguf, b.gguf need 8.00 GiB; 6.00 GiB is free.", together.sentence());
        var alone = MemoryCheck.oneAfterAnother(loads, needs, machine(6 * GIB, 0));
        assertTrue(alone.fits());
        assertEquals(4 * GIB, alone.neededBytes(), "one after another, the largest decides");
    }

    @Test
    void aModelOnTheGpuLeavesTheRamToTheNext() {
        var loads = List.of(load("gpu.gguf", LoadOptions.ALL_LAYERS), load("cpu.gguf", 0));
        var check = MemoryCheck.together(loads, List.of(FOUR_GIB, FOUR_GIB), machine(5 * GIB, 5 * GIB));
        assertTrue(check.fits(), check.loads().toString());
        assertInstanceOf(ModelFit.FitsOnGpu.class, check.loads().get(0).fit());
        assertInstanceOf(ModelFit.CpuOnly.class, check.loads().get(1).fit());
        var both = MemoryCheck.together(List.of(load("a.gguf", LoadOptions.ALL_LAYERS), load("b.gguf", LoadOptions.ALL_LAYERS)),
                List.of(FOUR_GIB, FOUR_GIB), machine(GIB, 5 * GIB));
        assertFalse(both.fits(), "the GPU holds one; the other's layers would need RAM that is not there");
    }

    @Test
    void aModelTooLargeAloneIsNamed() {
        var check = MemoryCheck.oneAfterAnother(List.of(load("small.gguf", 0), load("big.gguf", 0)),
                List.of(new FitEstimate(GIB / 4, 0, 4, GIB / 4), FOUR_GIB), machine(2 * GIB, 0));
        assertFalse(check.fits());
        assertEquals("big.gguf needs 4.00 GiB; 2.00 GiB is free: it cannot be loaded.", check.sentence());
    }
}
