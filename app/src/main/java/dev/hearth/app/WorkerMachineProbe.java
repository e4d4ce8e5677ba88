package dev.hearth.app;

import dev.hearth.inference.EngineCapabilities;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.ui.engine.Machine;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/// The machine as an engine worker sees it, for the fit badges and the load dialog before any model is loaded:
/// the first call starts a worker process, asks its capabilities (GPU offload, devices and their free memory) and
/// stops it; later calls reuse that answer with free RAM read again. Blocking: called through `UiTasks`.
///
/// The library's devices do not change while Hearth runs, so one probe per run is enough; it runs in a worker so
/// that llama.cpp's device discovery never runs in the window's own process.
final class WorkerMachineProbe implements Callable<Machine> {
    private final NativeLibrary library;
    private volatile @Nullable EngineCapabilities capabilities;

    WorkerMachineProbe(NativeLibrary library) {
        this.library = library;
    }

    @Override
    public Machine call() {
        var known = capabilities;
        if (known == null) {
            synchronized (this) {
                known = capabilities;
                if (known == null) {
                    try (var worker = EngineWorkers.start(library)) {
                        known = worker.capabilities();
                    }
                    capabilities = known;
                }
            }
        }
        return Machine.of(known);
    }
}
