package dev.hearth.app.cli;

import dev.hearth.app.DataFolders;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.worker.WorkerServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/// `hearth engine-worker`: llama.cpp behind the engine worker protocol on stdin/stdout. The app starts it; people
/// do not, so it is hidden from `--help`.
@Command(name = "engine-worker", hidden = true,
        description = "Serve the engine worker protocol (JSON Lines) on stdin/stdout; started by Hearth itself.")
public final class EngineWorkerCommand implements Callable<Integer> {
    @Option(names = "--native-lib", paramLabel = "FILE", description = "A llama.cpp library file instead of the bundled one.")
    @Nullable Path nativeLib;

    @Option(names = "--engine-dir", paramLabel = "DIR", description = "An engine pack folder instead of the bundled library.")
    @Nullable Path engineDir;

    @Override
    public Integer call() {
        if (engineDir != null) WorkerServer.main(NativeLibrary.pack(engineDir));
        serve(nativeLib);
        return 0; // not reached: the worker ends its process
    }

    /// Serves the protocol with `nativeLib`, or the bundled library when null; never returns. `Main` calls this
    /// directly for `engine-worker [--native-lib FILE]`, without building the command line.
    public static void serve(@Nullable Path nativeLib) {
        WorkerServer.main(nativeLib != null ? NativeLibrary.file(nativeLib)
                : NativeLibrary.bundled(DataFolders.fromEnvironment().cache()));
    }
}
