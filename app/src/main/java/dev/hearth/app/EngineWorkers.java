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
        switch (library) {
            case NativeLibrary.UserFile(var file) -> {
                args.add("--native-lib");
                args.add(file.toAbsolutePath().toString());
            }
            case NativeLibrary.EnginePack(var dir) -> {
                args.add("--engine-dir");
                args.add(dir.toAbsolutePath().toString());
            }
            case NativeLibrary.Bundled _ -> {}
        }
        return WorkerLauncher.jpackageLauncher(args).orElseGet(() -> WorkerLauncher.javaMain(Main.class.getName(), args));
    }

    /// The engines this installation has: b4916, the packs shipped beside the app's jar (`engines/` next to it:
    /// `app/target/engines` from source, `lib/app/engines` in an image) and those installed into `<data>/engines`.
    public static dev.hearth.inference.pack.EngineCatalog catalog(DataFolders folders) {
        return new dev.hearth.inference.pack.EngineCatalog(builtInEngineFolders(), folders.home().resolve("engines"));
    }

    /// The folders holding engine packs that come with Hearth (`-Dhearth.engines=DIR` adds one).
    public static List<java.nio.file.Path> builtInEngineFolders() {
        var out = new ArrayList<java.nio.file.Path>();
        var extra = System.getProperty("hearth.engines");
        if (extra != null && !extra.isBlank()) out.add(java.nio.file.Path.of(extra));
        try {
            var code = java.nio.file.Path.of(EngineWorkers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            var parent = code.getParent();
            if (parent != null) out.add(parent.resolve("engines"));
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // no code source (an odd class loader): only the installed engines
        }
        return out;
    }

    /// Starts a worker and waits until it is ready.
    public static EngineClient start(NativeLibrary library) {
        return EngineClient.start(launcher(library), DataFolders.fromEnvironment().logs());
    }
}
