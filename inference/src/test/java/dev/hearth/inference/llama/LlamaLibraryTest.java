package dev.hearth.inference.llama;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import dev.hearth.inference.NativeLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaLibraryTest {
    @TempDir Path dir;

    @Test
    void theBundledLibraryHasTheDocumentedB4916DefaultParameters() {
        var lib = LlamaLibrary.load(TestModels.library());
        assertDoesNotThrow(lib::verifyDefaults);
        assertTrue(LlamaLibrary.REQUIRED_SYMBOLS.stream().allMatch(s -> lib.find(s).isPresent()));
    }

    @Test
    void theLibraryIsExtractedOnceAndReusedWithoutLeftovers() throws Exception {
        var cache = dir.resolve("cache");
        Path first = BundledLibrary.extract(cache);
        var modified = Files.getLastModifiedTime(first);
        Path second = BundledLibrary.extract(cache);
        assertEquals(first, second);
        assertEquals(modified, Files.getLastModifiedTime(second));
        assertTrue(first.startsWith(cache.resolve("native").resolve("java-llama.cpp-4.2.0")));
        try (Stream<Path> files = Files.list(first.getParent())) {
            assertEquals(1, files.count(), "no temporary files are left behind");
        }
    }

    @Test
    void aDamagedLibraryIsRefusedWithATypedFailure() throws Exception {
        LlamaLibrary.load(TestModels.library());
        var bytes = Files.readAllBytes(BundledLibrary.extract(TestModels.hearthHome().resolve("cache")));
        var damaged = Files.write(dir.resolve("libjllama.so"), java.util.Arrays.copyOf(bytes, 4096));
        var e = assertThrows(EngineException.class, () -> LlamaLibrary.load(NativeLibrary.file(damaged)));
        assertEquals(Failure.Kind.NATIVE_LIBRARY_INVALID, e.kind());
        var text = Files.writeString(dir.resolve("text.so"), "not a library");
        assertEquals(Failure.Kind.NATIVE_LIBRARY_INVALID,
                assertThrows(EngineException.class, () -> LlamaLibrary.load(NativeLibrary.file(text))).kind());
        assertEquals(Failure.Kind.NATIVE_LIBRARY_MISSING, assertThrows(EngineException.class,
                () -> LlamaLibrary.load(NativeLibrary.file(dir.resolve("missing.so")))).kind());
    }

    @Test
    void aLibraryWithoutTheLlamaApiIsRefused() {
        var libz = Stream.of("/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1")
                .map(Path::of).filter(Files::isRegularFile).findFirst();
        if (libz.isEmpty()) return;
        var e = assertThrows(EngineException.class, () -> LlamaLibrary.load(NativeLibrary.file(libz.get())));
        assertEquals(Failure.Kind.NATIVE_LIBRARY_INVALID, e.kind());
        assertTrue(e.getMessage().contains("is not a llama.cpp library Hearth knows"), e.getMessage());
    }

    @Test
    void theGenerationIsDetectedFromTheExportedSymbols() {
        assertEquals(java.util.Optional.of(LlamaGeneration.B4916),
                LlamaGeneration.detect(java.util.Set.of("llama_kv_self_clear", "llama_decode")::contains));
        assertEquals(java.util.Optional.of(LlamaGeneration.V0_5),
                LlamaGeneration.detect(java.util.Set.of("llama_memory_clear", "llama_get_memory")::contains));
        assertEquals(java.util.Optional.empty(), LlamaGeneration.detect(java.util.Set.of("llama_decode")::contains));
        assertEquals(java.util.Optional.empty(), LlamaGeneration.detect(
                java.util.Set.of("llama_kv_self_clear", "llama_memory_clear", "llama_get_memory")::contains));
    }

    @Test
    void theLoadedLibraryIsTheGenerationThisSuiteRunsOn() {
        var lib = LlamaLibrary.load(TestModels.library());
        assertEquals(dev.hearth.inference.TestEngine.onPack() ? LlamaGeneration.V0_5 : LlamaGeneration.B4916, lib.generation);
        lib.verifyDefaults();
    }

    @Test
    void llamaCppLogsGoToTheSinkNotStderr() {
        var lib = LlamaLibrary.load(TestModels.library());
        try (var engine = LlamaEngine.open(TestModels.library())) {
            engine.load(TestModels.tiny(), dev.hearth.inference.LoadOptions.DEFAULT.withThreads(1),
                    dev.hearth.inference.LoadProgress.NONE);
        }
        assertTrue(lib.recentLog().stream().anyMatch(l -> l.contains("llama_model_loader") || l.contains("llama")),
                "llama.cpp's log lines reach Java");
    }
}
