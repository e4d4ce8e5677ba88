package dev.hearth.inference.worker;

import dev.hearth.inference.NativeLibrary;
import java.nio.file.Path;

/// A bare entry point for an engine worker: `WorkerMain (--cache DIR | --library FILE | --pack DIR)`.
/// The app starts workers as `hearth engine-worker`, which does the same; this one needs only the inference module
/// on the class path (tests, and a lighter start).
public final class WorkerMain {
    private WorkerMain() {}

    public static void main(String[] args) {
        if (args.length != 2 || !(args[0].equals("--cache") || args[0].equals("--library") || args[0].equals("--pack"))) {
            System.err.println("usage: WorkerMain (--cache DIR | --library FILE | --pack DIR)");
            System.exit(2);
        }
        var path = Path.of(args[1]);
        WorkerServer.main(switch (args[0]) {
            case "--cache" -> NativeLibrary.bundled(path);
            case "--pack" -> NativeLibrary.pack(path);
            default -> NativeLibrary.file(path);
        });
    }
}
