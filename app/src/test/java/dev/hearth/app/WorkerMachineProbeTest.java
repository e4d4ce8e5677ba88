package dev.hearth.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.NativeLibrary;
import dev.hearth.ui.engine.Machine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The load dialog's machine comes from a real engine worker, which stops once it has answered.
class WorkerMachineProbeTest {
    @TempDir
    Path cache;

    private static long workers() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains("engine-worker")).count();
    }

    @Test
    void aWorkerReportsWhetherItOffloadsAndStopsAfterAnswering() throws Exception {
        var probe = new WorkerMachineProbe(NativeLibrary.bundled(cache));
        probe.windowShown(); // as the window does once it is drawn
        var machine = probe.call();
        assertNotEquals(Machine.GpuOffload.UNKNOWN, machine.gpuOffload());
        assertTrue(machine.freeRamBytes() > 0);
        assertTrue(machine.physicalCores() >= 1);
        for (int i = 0; i < 100 && workers() > 0; i++) Thread.sleep(50);
        assertEquals(0, workers(), "the probe's worker stopped");
        var again = probe.call();
        assertEquals(machine.gpuOffload(), again.gpuOffload());
        assertEquals(machine.gpus().size(), again.gpus().size());
    }
}
