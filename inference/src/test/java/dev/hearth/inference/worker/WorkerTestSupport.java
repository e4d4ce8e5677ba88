package dev.hearth.inference.worker;

import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.gguf.FixtureModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/// The fixture model, native library and worker command the worker tests share.
final class WorkerTestSupport {
    private static Path tiny;

    private WorkerTestSupport() {}

    static Path hearthHome() {
        var home = System.getenv("HEARTH_HOME");
        return Path.of(home != null ? home : "target/test-hearth-home").toAbsolutePath();
    }

    static Path cache() {
        return hearthHome().resolve("cache");
    }

    static Path logs() {
        return hearthHome().resolve("logs");
    }

    static NativeLibrary library() {
        return dev.hearth.inference.TestEngine.library(cache());
    }

    static final LoadOptions OPTIONS = LoadOptions.DEFAULT.withThreads(1).withContextSize(256);

    /// A 64-wide, 2-layer llama (~0.6 MB).
    static synchronized Path tiny() {
        if (tiny == null) {
            try {
                var dir = Files.createDirectories(hearthHome().resolve("models"));
                tiny = FixtureModel.builder().width(64).layers(2).contextLength(512).seed(7)
                        .write(dir.resolve("tiny-worker-test.gguf"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tiny;
    }

    static WorkerLauncher launcher() {
        return dev.hearth.inference.TestEngine.onPack()
                ? packLauncher(dev.hearth.inference.TestEngine.packDirectory())
                : WorkerLauncher.javaMain(WorkerMain.class.getName(), List.of("--cache", cache().toString()));
    }

    /// A worker on the engine pack in `directory`.
    static WorkerLauncher packLauncher(Path directory) {
        return WorkerLauncher.javaMain(WorkerMain.class.getName(), List.of("--pack", directory.toString()));
    }

    static EngineClient startWorker() {
        return EngineClient.start(launcher(), logs());
    }
}
