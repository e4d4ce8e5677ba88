package dev.hearth.app.cli;

import dev.hearth.app.DataFolders;
import dev.hearth.app.EngineWorkers;
import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.Engines;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.ModelSummary;
import dev.hearth.inference.NativeLibrary;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/// Options every command that runs a model shares: the model file, the native library and how to load.
final class EngineOptions {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The GGUF model file.")
    @Nullable Path model;

    @Option(names = "--gpu-layers", paramLabel = "N", defaultValue = "0",
            description = "Layers to offload to the GPU, 0..999 (default: ${DEFAULT-VALUE}; needs a GPU build, see --native-lib).")
    int gpuLayers;

    @Option(names = "--ctx", paramLabel = "N", defaultValue = "0",
            description = "Context length in tokens (default: the model's training context, at most 8192).")
    int contextSize;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "CPU threads (default: the number of physical cores).")
    int threads;

    @Option(names = "--native-lib", paramLabel = "FILE",
            description = "A llama.cpp library file to use instead of the bundled one (e.g. a CUDA or Vulkan build of java-llama.cpp 4.2.0).")
    @Nullable Path nativeLib;

    @Option(names = "--in-process",
            description = "Run llama.cpp in this process instead of an engine worker process (a native crash then ends Hearth).")
    boolean inProcess;

    LoadOptions loadOptions() {
        try {
            return LoadOptions.DEFAULT.withGpuLayers(gpuLayers).withContextSize(contextSize).withThreads(threads);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage(), 2);
        }
    }

    NativeLibrary nativeLibrary() {
        return nativeLib != null ? NativeLibrary.file(nativeLib) : NativeLibrary.bundled(DataFolders.fromEnvironment().cache());
    }

    Path modelPath() {
        return java.util.Objects.requireNonNull(model, "--model");
    }

    /// Opens an engine worker process (its log in `logs/engine-worker-….log`), or the in-process engine with
    /// `--in-process` (llama.cpp's log appended to `logs/engine.log`); a library problem becomes one CLI line.
    Engine open() {
        return inProcess ? openInProcess() : openWorker();
    }

    /// Starts an engine worker process.
    Engine openWorker() {
        try {
            return EngineWorkers.start(nativeLibrary());
        } catch (EngineException e) {
            throw failure(e);
        }
    }

    /// Opens llama.cpp in this process.
    Engine openInProcess() {
        try {
            return Engines.inProcess(nativeLibrary(), EngineLogFile.open(DataFolders.fromEnvironment().logs()));
        } catch (EngineException e) {
            throw failure(e);
        }
    }

    /// Loads the model; a bad file becomes one CLI line.
    ModelSummary load(Engine engine, LoadOptions options) {
        try {
            return engine.load(modelPath(), options, LoadProgress.NONE);
        } catch (EngineException e) {
            throw failure(e);
        }
    }

    static CliFailure failure(EngineException e) {
        int code = switch (e.kind()) {
            case INVALID_REQUEST, MODEL_FILE_MISSING, NOT_A_MODEL_FILE, MODEL_FILE_CORRUPT, UNSUPPORTED_ARCHITECTURE,
                    CONTEXT_FULL -> 2;
            default -> 1;
        };
        return new CliFailure(oneLine(e.getMessage()), code);
    }

    static String oneLine(@Nullable String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ').strip();
    }
}
