package dev.hearth.inference.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.TestEngine;
import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.pack.PackFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The current-generation engine pack next to b4916, each in its own worker process: an architecture only the
/// current llama.cpp knows, and engine folders with a missing or damaged library.
class EnginePackTest {
    static Path qwen3;

    @BeforeAll
    static void writeModel() throws IOException {
        var dir = Files.createDirectories(WorkerTestSupport.hearthHome().resolve("models"));
        qwen3 = FixtureModel.builder().architecture("qwen3").width(64).layers(2).contextLength(512).seed(11)
                .write(dir.resolve("tiny-qwen3.gguf"));
    }

    @Test
    void aQwen3ModelLoadsAndGeneratesOnTheCurrentEngine() {
        try (var engine = EngineClient.start(WorkerTestSupport.packLauncher(TestEngine.packDirectory()),
                WorkerTestSupport.logs())) {
            var summary = engine.load(qwen3, WorkerTestSupport.OPTIONS, LoadProgress.NONE);
            assertEquals("qwen3", summary.architecture());
            var tokens = new ArrayList<GenerationEvent.Token>();
            engine.generate(new GenerationRequest("Hello world", Sampling.GREEDY.withMaxTokens(8)), e -> {
                if (e instanceof GenerationEvent.Token t) tokens.add(t);
            });
            assertFalse(tokens.isEmpty());
            assertTrue(engine.capabilities().libraryBuild().startsWith("v"), engine.capabilities().libraryBuild());
        }
    }

    @Test
    void aQwen3ModelIsRefusedOnB4916AsTooOld() {
        try (var engine = EngineClient.start(
                WorkerLauncher.javaMain(WorkerMain.class.getName(), List.of("--cache", WorkerTestSupport.cache().toString())),
                WorkerTestSupport.logs())) {
            var e = assertThrows(EngineException.class, () -> engine.load(qwen3, WorkerTestSupport.OPTIONS, LoadProgress.NONE));
            assertEquals(Failure.Kind.UNSUPPORTED_ARCHITECTURE, e.kind());
            assertTrue(e.getMessage().contains("this engine's llama.cpp (b4916) is too old for architecture 'qwen3'"),
                    e.getMessage());
        }
    }

    @Test
    void theFetchedPackNamesItsBuildAndBackends() {
        var pack = PackFolder.inspect(TestEngine.packDirectory());
        assertEquals("v0.5.0", pack.build());
        assertTrue(pack.backends().contains("CPU"), pack.backends().toString());
        assertTrue(pack.llamaLibrary().getFileName().toString().startsWith("libllama"));
    }

    @Test
    void aGpuPacksLlamaLibraryIsFoundUnderItsOwnName(@TempDir Path dir) throws IOException {
        // the Vulkan and CUDA packs name it libllama.vulkan.v0.5.0.so / libllama.cuda.v0.5.0.so
        var copy = linkPack(dir, n -> !n.startsWith("libllama.v"));
        try (var files = Files.list(TestEngine.packDirectory())) {
            var llama = files.filter(f -> f.getFileName().toString().startsWith("libllama.v")).findFirst().orElseThrow();
            Files.createSymbolicLink(copy.resolve("libllama.vulkan.v0.5.0.so"), llama);
        }
        var pack = PackFolder.inspect(copy);
        assertEquals("libllama.vulkan.v0.5.0.so", pack.llamaLibrary().getFileName().toString());
    }

    @Test
    void aFolderWithoutTheLlamaLibraryIsRefusedAsMissing(@TempDir Path dir) throws IOException {
        var copy = linkPack(dir, n -> !n.startsWith("libllama.v"));
        var e = startFails(copy);
        assertEquals(Failure.Kind.NATIVE_LIBRARY_MISSING, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("no llama library"), e.getMessage());
    }

    @Test
    void aTruncatedDependencyIsRefusedBeforeItIsLoaded(@TempDir Path dir) throws IOException {
        var copy = linkPack(dir, n -> !n.equals("libggml-base.so"));
        var original = TestEngine.packDirectory().resolve("libggml-base.so");
        try (var in = Files.newInputStream(original)) {
            Files.write(copy.resolve("libggml-base.so"), in.readNBytes(4096));
        }
        var e = startFails(copy);
        assertEquals(Failure.Kind.NATIVE_LIBRARY_INVALID, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("libggml-base.so"), e.getMessage());
    }

    @Test
    void aFolderWithoutAnyCpuBackendIsRefusedCleanly(@TempDir Path dir) throws IOException {
        var copy = linkPack(dir, n -> !n.startsWith("libggml-cpu-"));
        var e = startFails(copy);
        assertEquals(Failure.Kind.NATIVE_LIBRARY_INVALID, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("no backend"), e.getMessage());
    }

    /// A copy of the fetched pack as symbolic links, keeping the files `keep` accepts.
    private static Path linkPack(Path dir, Predicate<String> keep) throws IOException {
        var pack = TestEngine.packDirectory();
        var copy = Files.createDirectories(dir.resolve("engine"));
        try (var files = Files.list(pack)) {
            for (var f : files.toList()) {
                if (keep.test(f.getFileName().toString())) Files.createSymbolicLink(copy.resolve(f.getFileName()), f);
            }
        }
        return copy;
    }

    private static EngineException startFails(Path engineFolder) {
        return assertThrows(EngineException.class, () -> {
            try (var engine = EngineClient.start(WorkerTestSupport.packLauncher(engineFolder), WorkerTestSupport.logs())) {
                engine.capabilities();
            }
        });
    }
}
