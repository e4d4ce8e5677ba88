package dev.hearth.app;

import dev.hearth.inference.EngineCapabilities;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.ui.engine.Machine;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    /// Released once the window is up: a worker JVM starting beside the window's own start took 1.1–1.4 s off it on
    /// two cores (README: startup). Never waits longer than [#MOST_WAIT_SECONDS], so a probe without a window still answers.
    private final CountDownLatch windowUp = new CountDownLatch(1);
    private static final long MOST_WAIT_SECONDS = 5;

    WorkerMachineProbe(NativeLibrary library) {
        this.library = library;
    }

    /// The window is drawn: the worker may start now.
    void windowShown() {
        windowUp.countDown();
    }

    @Override
    public Machine call() throws InterruptedException {
        var known = capabilities;
        if (known == null) {
            windowUp.await(MOST_WAIT_SECONDS, TimeUnit.SECONDS);
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
