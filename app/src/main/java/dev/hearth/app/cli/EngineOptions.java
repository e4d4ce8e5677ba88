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
import dev.hearth.inference.gguf.KvCacheType;
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

    @Option(names = "--batch", paramLabel = "N", defaultValue = "2048",
            description = "Logical batch: prompt tokens given to llama.cpp at once (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--ubatch", paramLabel = "N", defaultValue = "512",
            description = "Micro-batch: prompt tokens computed at once, 1..--batch (default: ${DEFAULT-VALUE}).")
    int ubatch;

    @Option(names = "--flash-attn", description = "Use flash attention.")
    boolean flashAttention;

    @Option(names = "--kv-type", paramLabel = "f16|q8_0|q4_0", defaultValue = "f16",
            description = "KV cache element type; q8_0 and q4_0 need --flash-attn (default: ${DEFAULT-VALUE}).")
    String kvType;

    @Option(names = "--no-mmap", description = "Read the model into memory instead of mapping the file.")
    boolean noMmap;

    @Option(names = "--mlock", description = "Lock the model in RAM (no swapping).")
    boolean mlock;

    @Option(names = "--native-lib", paramLabel = "FILE",
            description = "A llama.cpp library file to use instead of the bundled one (e.g. a CUDA or Vulkan build of java-llama.cpp 4.2.0).")
    @Nullable Path nativeLib;

    @Option(names = "--engine", paramLabel = "NAME",
            description = "The engine to run on (hearth engines list; default: b4916 for the architectures it knows, a current engine pack for newer ones, a GPU pack with --gpu-layers).")
    @Nullable String engineName;

    @Option(names = "--in-process",
            description = "Run llama.cpp in this process instead of an engine worker process (a native crash then ends Hearth).")
    boolean inProcess;

    LoadOptions loadOptions() {
        try {
            if (batch < 1) throw new CliFailure("--batch must be >= 1, got " + batch, 2);
            if (ubatch < 1 || ubatch > batch)
                throw new CliFailure("--ubatch must be 1..--batch (" + batch + "), got " + ubatch, 2);
            var kv = switch (kvType.toLowerCase(java.util.Locale.ROOT)) {
                case "f16" -> KvCacheType.F16;
                case "q8_0" -> KvCacheType.Q8_0;
                case "q4_0" -> KvCacheType.Q4_0;
                default -> throw new CliFailure("--kv-type must be f16, q8_0 or q4_0, got " + kvType, 2);
            };
            if (kv != KvCacheType.F16 && !flashAttention)
                throw new CliFailure("--kv-type " + kvType + " needs --flash-attn", 2);
            return LoadOptions.DEFAULT.withGpuLayers(gpuLayers).withContextSize(contextSize).withThreads(threads)
                    .withBatch(batch, ubatch).withFlashAttention(flashAttention, kv).withMemory(!noMmap, mlock);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage(), 2);
        }
    }

    private dev.hearth.inference.pack.EngineCatalog.@Nullable Entry chosen;

    NativeLibrary nativeLibrary() {
        var folders = DataFolders.fromEnvironment();
        if (nativeLib != null) {
            if (engineName != null) throw new CliFailure("give --engine or --native-lib, not both", 2);
            return NativeLibrary.file(nativeLib);
        }
        return engine().library(folders.cache());
    }

    /// The engine the model runs on: `--engine NAME`, else the default for the model's architecture.
    dev.hearth.inference.pack.EngineCatalog.Entry engine() {
        if (chosen != null) return chosen;
        var catalog = dev.hearth.app.EngineWorkers.catalog(DataFolders.fromEnvironment());
        if (engineName != null) {
            chosen = catalog.find(engineName).orElseThrow(() -> new CliFailure("no engine called '" + engineName
                    + "' (hearth engines list shows them)", 2));
        } else {
            String architecture = null;
            try {
                if (model != null && java.nio.file.Files.isRegularFile(model))
                    architecture = dev.hearth.inference.gguf.GgufReader.open(model).modelInfo().architecture();
            } catch (java.io.IOException | RuntimeException e) {
                // the load reports a bad file in its own words
            }
            chosen = catalog.defaultFor(architecture, gpuLayers > 0);
        }
        return chosen;
    }

    /// How a run record names the engine: `worker:NAME` or `in-process:NAME` (`NAME` a library file with --native-lib).
    String engineLabel() {
        String name = nativeLib != null ? nativeLib.getFileName().toString() : engine().name();
        return (inProcess ? "in-process:" : "worker:") + name;
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
