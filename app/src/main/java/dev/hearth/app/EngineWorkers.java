package dev.hearth.app;

import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.worker.EngineClient;
import dev.hearth.inference.worker.WorkerLauncher;
import java.util.ArrayList;
import java.util.List;

/// Starts engine worker processes of this app: `hearth engine-worker` through the jpackage launcher inside an
/// image, or this JVM's `java` with this class path in development. Logs go to `<data>/logs/`.
public final class EngineWorkers {
    private EngineWorkers() {}

    /// The command that starts a worker using `library`.
    public static WorkerLauncher launcher(NativeLibrary library) {
        var args = new ArrayList<String>(List.of("engine-worker"));
        if (library instanceof NativeLibrary.UserFile(var file)) {
            args.add("--native-lib");
            args.add(file.toAbsolutePath().toString());
        }
        return WorkerLauncher.jpackageLauncher(args).orElseGet(() -> WorkerLauncher.javaMain(Main.class.getName(), args));
    }

    /// Starts a worker and waits until it is ready.
    public static EngineClient start(NativeLibrary library) {
        return EngineClient.start(launcher(library), DataFolders.fromEnvironment().logs());
    }
}
