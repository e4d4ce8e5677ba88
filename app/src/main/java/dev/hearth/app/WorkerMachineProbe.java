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
/// Until the chat's engine manager is wired in, this is where the GPUs come from; the manager's own capabilities
/// replace it then (no extra process).
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
