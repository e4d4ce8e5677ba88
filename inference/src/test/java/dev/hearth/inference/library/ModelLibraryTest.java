package dev.hearth.inference.library;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.gguf.KvCacheType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLibraryTest {
    @TempDir Path home;

    private static final String SHA = "a".repeat(64);

    private static Path gguf(Path file, int bytes) throws IOException {
        Files.createDirectories(file.getParent());
        var content = new byte[bytes];
        content[0] = 'G';
        content[1] = 'G';
        content[2] = 'U';
        content[3] = 'F';
        Files.write(file, content);
        return file;
    }

    private ModelLibrary library(List<LibraryFolder> caches) {
        return new ModelLibrary(home.resolve("models"), List.of(), caches);
    }

    @Test
    void modelsFolderListsOwnerRepoFilesGroupsSplitSetsAndSkipsPartials() throws Exception {
        var models = home.resolve("models");
        gguf(models.resolve("bartowski/Llama-GGUF/Llama-Q4_K_M.gguf"), 100);
        gguf(models.resolve("unsloth/Big-GGUF/Q8_0/Big-Q8_0-00001-of-00002.gguf"), 30);
        gguf(models.resolve("unsloth/Big-GGUF/Q8_0/Big-Q8_0-00002-of-00002.gguf"), 20);
        gguf(models.resolve(".partial/x/y/half.gguf.part"), 10);
        gguf(models.resolve(".partial/x/y/sneaky.gguf"), 10);
        Files.writeString(models.resolve("bartowski/Llama-GGUF/README.md"), "hi");

        var list = library(List.of()).list();

        assertEquals(List.of("bartowski/Llama-GGUF/Llama-Q4_K_M.gguf", "unsloth/Big-GGUF/Q8_0/Big-Q8_0-00001-of-00002.gguf"),
                list.stream().map(LocalModel::name).toList());
        var set = list.get(1);
        assertEquals(2, set.files().size());
        assertEquals(50, set.sizeBytes());
        assertEquals("Q8_0", set.quant());
        assertEquals("Q4_K_M", list.getFirst().quant());
        assertFalse(list.getFirst().readOnly());
    }

    @Test
    void cachesAreFoundFromTheEnvironmentAndDefaultPlaces() throws Exception {
        Files.createDirectories(home.resolve(".lmstudio/models"));
        Files.createDirectories(home.resolve(".cache/lm-studio/models"));
        Files.createDirectories(home.resolve("hf/hub"));
        Files.createDirectories(home.resolve(".cache/llama.cpp"));
        Files.createDirectories(home.resolve("ollama-models"));
        var env = Map.of("HF_HOME", home.resolve("hf").toString(), "OLLAMA_MODELS", home.resolve("ollama-models").toString());

        var caches = ModelCaches.discover(env, home, "Linux");

        assertEquals(List.of(
                new LibraryFolder(home.resolve(".lmstudio/models"), ModelSource.LM_STUDIO),
                new LibraryFolder(home.resolve(".cache/lm-studio/models"), ModelSource.LM_STUDIO),
                new LibraryFolder(home.resolve("hf/hub"), ModelSource.HUGGING_FACE),
                new LibraryFolder(home.resolve(".cache/llama.cpp"), ModelSource.LLAMA_CPP),
                new LibraryFolder(home.resolve("ollama-models"), ModelSource.OLLAMA)), caches);
        assertEquals(home.resolve("explicit"), ModelCaches.huggingFaceHub(Map.of("HF_HUB_CACHE", home.resolve("explicit").toString(),
                "HF_HOME", "/elsewhere"), home));
        assertEquals(home.resolve(".cache/huggingface/hub"), ModelCaches.huggingFaceHub(Map.of(), home));
        assertEquals(Path.of("/lc"), ModelCaches.llamaCpp(Map.of("LLAMA_CACHE", "/lc"), home, "Linux"));
        assertEquals(home.resolve("Library/Caches/llama.cpp"), ModelCaches.llamaCpp(Map.of(), home, "Mac OS X"));
    }

    @Test
    void huggingFaceSnapshotsAreListedThroughTheirBlobLinksOncePerBlob() throws Exception {
        var hub = home.resolve(".cache/huggingface/hub");
        var repo = hub.resolve("models--Qwen--Qwen2-GGUF");
        var blob = gguf(repo.resolve("blobs/" + SHA), 64);
        for (var rev : List.of("aaaa", "bbbb")) {
            var snap = repo.resolve("snapshots/" + rev);
            Files.createDirectories(snap);
            Files.createSymbolicLink(snap.resolve("qwen2-q4_k_m.gguf"), Path.of("../../blobs/" + SHA));
        }
        Files.createDirectories(hub.resolve("datasets--x--y/snapshots/r"));

        var list = library(ModelCaches.discover(Map.of(), home, "Linux")).list();

        assertEquals(1, list.size());
        var model = list.getFirst();
        assertEquals("Qwen/Qwen2-GGUF/qwen2-q4_k_m.gguf", model.name());
        assertEquals(ModelSource.HUGGING_FACE, model.source());
        assertEquals(64, model.sizeBytes());
        assertEquals(blob.toRealPath(), model.path().toRealPath());
        assertTrue(model.readOnly());
    }

    @Test
    void ollamaModelsAreFoundThroughTheirManifests() throws Exception {
        var root = home.resolve(".ollama/models");
        var digest = "b".repeat(64);
        gguf(root.resolve("blobs/sha256-" + digest), 77);
        var manifest = root.resolve("manifests/registry.ollama.ai/library/llama3.2/3b-instruct-q4_K_M");
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, """
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
                 "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:%s","size":1},
                 "layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:%s","size":77},
                           {"mediaType":"application/vnd.ollama.image.template","digest":"sha256:%s","size":1}]}
                """.formatted("c".repeat(64), digest, "d".repeat(64)));
        var other = root.resolve("manifests/registry.ollama.ai/someone/tiny/latest");
        Files.createDirectories(other.getParent());
        Files.writeString(other, "{\"layers\":[{\"mediaType\":\"application/vnd.ollama.image.model\",\"digest\":\"sha256:" + "e".repeat(64) + "\"}]}");
        Files.writeString(root.resolve("manifests/registry.ollama.ai/library/llama3.2/broken"), "not json");

        var list = library(ModelCaches.discover(Map.of(), home, "Linux")).list();

        assertEquals(List.of("llama3.2:3b-instruct-q4_K_M"), list.stream().map(LocalModel::name).toList(),
                "the manifest whose blob is missing and the broken one are skipped");
        assertEquals(77, list.getFirst().sizeBytes());
        assertEquals("Q4_K_M", list.getFirst().quant());
        assertEquals(ModelSource.OLLAMA, list.getFirst().source());
    }

    @Test
    void lmStudioAndLlamaCppCachesAreListedReadOnlyAndCannotBeRemoved() throws Exception {
        gguf(home.resolve(".lmstudio/models/lmstudio-community/Phi-GGUF/Phi-Q8_0.gguf"), 10);
        gguf(home.resolve(".cache/llama.cpp/ggml-org_gemma-3-1b-it-GGUF_gemma-3-1b-it-Q4_K_M.gguf"), 10);
        var library = library(ModelCaches.discover(Map.of(), home, "Linux"));
        var list = library.list();

        assertEquals(List.of(ModelSource.LM_STUDIO, ModelSource.LLAMA_CPP), list.stream().map(LocalModel::source).toList());
        var e = assertThrows(LibraryException.class, () -> library.remove(list.getFirst()));
        assertEquals(LibraryException.Kind.READ_ONLY, e.kind());
        assertTrue(Files.exists(list.getFirst().path()));
    }

    @Test
    void importCopiesOrLinksAndRemoveDeletesOnlyTheLibrarysCopy() throws Exception {
        var original = gguf(home.resolve("Downloads/mine-Q5_K_M.gguf"), 40);
        var library = library(List.of());

        var copied = library.importModel(original, ModelLibrary.ImportMode.COPY);
        assertEquals("imported/mine-Q5_K_M.gguf", copied.name());
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copied.path()));
        var again = assertThrows(LibraryException.class, () -> library.importModel(original, ModelLibrary.ImportMode.LINK));
        assertEquals(LibraryException.Kind.ALREADY_EXISTS, again.kind());

        library.remove(copied);
        assertFalse(Files.exists(copied.path()));
        var linked = library.importModel(original, ModelLibrary.ImportMode.LINK);
        assertTrue(Files.isSymbolicLink(linked.path()));
        library.remove(library.find("mine-Q5_K_M.gguf").getFirst());
        assertTrue(Files.exists(original), "removing a link keeps the original");
        assertEquals(List.of(), library.list());
    }

    @Test
    void importRefusesAFileThatIsNotGguf() throws Exception {
        var text = home.resolve("notes.gguf");
        Files.writeString(text, "hello");
        var e = assertThrows(LibraryException.class, () -> library(List.of()).importModel(text, ModelLibrary.ImportMode.COPY));
        assertEquals(LibraryException.Kind.NOT_GGUF, e.kind());
    }

    @Test
    void metadataIsReadOncePerSizeAndModificationTime() throws Exception {
        var file = home.resolve("a.bin");
        Files.writeString(file, "one");
        var reads = new AtomicInteger();
        var cache = new MetadataCache<>(p -> reads.incrementAndGet() + ":" + Files.readString(p));

        assertEquals("1:one", cache.get(file));
        assertEquals("1:one", cache.get(file));
        Files.writeString(file, "three");
        assertEquals("2:three", cache.get(file));
    }

    @Test
    void fitOfARealFixtureModelUsesTheGgufReader() throws Exception {
        Files.createDirectories(home.resolve("models/fixture/tiny"));
        var path = FixtureModel.builder().layers(4).write(home.resolve("models/fixture/tiny/tiny-F32.gguf"));
        var library = library(List.of());
        var model = library.list().getFirst();
        var info = library.info(model);

        var estimate = library.estimate(model, 256, KvCacheType.F16);
        assertEquals(4, estimate.layerCount());
        assertEquals(info.weightsBytes(), estimate.weightsBytes());
        assertEquals(info.kvCacheBytes(256, KvCacheType.F16), estimate.kvCacheBytes());
        assertEquals(new ModelFit.CpuOnly(), library.fit(model, 256, KvCacheType.F16, new MemoryBudget(1L << 30, List.of())));
        assertEquals(path.toRealPath(), model.path().toRealPath());
    }

    @Test
    void aLoadChosenByPathIsEstimatedAsTheLoadDialogDoesWithItsContextAndKvType() throws Exception {
        var path = FixtureModel.builder().layers(4).contextLength(512).write(home.resolve("tiny.gguf"));
        var library = library(List.of());
        var options = dev.hearth.inference.LoadOptions.DEFAULT.withContextSize(256)
                .withFlashAttention(true, KvCacheType.Q8_0);
        var info = library.info(new LocalModel("tiny", ModelSource.MODELS_FOLDER, List.of(path), 0, null,
                java.time.Instant.EPOCH));
        var byPath = library.estimate(path, options);
        assertEquals(info.kvCacheBytes(256, KvCacheType.Q8_0), byPath.kvCacheBytes());
        assertEquals(info.weightsBytes(), byPath.weightsBytes());
        assertEquals(byPath, ModelLibrary.estimateFile(path, options), "with or without the library's cache");
        assertEquals(info.kvCacheBytes(512, KvCacheType.F16),
                ModelLibrary.estimateFile(path, dev.hearth.inference.LoadOptions.DEFAULT).kvCacheBytes(),
                "the default context is the training context (up to 8192)");
    }

    @Test
    void theFirstPartOfASplitSetNamesEveryPartBesideIt() throws Exception {
        var first = gguf(home.resolve("m/big-00001-of-00003.gguf"), 8);
        var second = gguf(home.resolve("m/big-00002-of-00003.gguf"), 8);
        var third = gguf(home.resolve("m/big-00003-of-00003.gguf"), 8);
        assertEquals(List.of(first, second, third), ModelLibrary.splitParts(first));
        var single = gguf(home.resolve("m/small.gguf"), 8);
        assertEquals(List.of(single), ModelLibrary.splitParts(single));
    }

    @Test
    void memAvailableIsReadFromProcMeminfo() {
        var meminfo = "MemTotal:       16316412 kB\nMemFree:          512000 kB\nMemAvailable:    8000000 kB\n";
        assertEquals(8_000_000L * 1024, SystemMemory.parseMemAvailable(meminfo).orElseThrow());
        assertTrue(SystemMemory.availableBytes() > 0);
    }
}
