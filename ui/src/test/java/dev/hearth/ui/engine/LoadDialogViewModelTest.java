package dev.hearth.ui.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.gguf.GgufReader;
import dev.hearth.inference.gguf.KvCacheType;
import dev.hearth.inference.library.GpuMemory;
import dev.hearth.inference.library.LocalModel;
import dev.hearth.inference.library.ModelFit;
import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.ui.InlineUiTasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadDialogViewModelTest {
    private static final long GIB = 1L << 30;
    @TempDir
    Path models;
    private ModelLibrary library;
    private LocalModel model;

    @BeforeEach
    void fixture() throws IOException {
        FixtureModel.builder().name("Four layers").layers(4).contextLength(4096).write(models.resolve("four.gguf"));
        library = new ModelLibrary(models, List.of(), List.of());
        model = library.list().getFirst();
    }

    private static Machine gpu(long freeBytes) {
        return new Machine(64 * GIB, List.of(new GpuMemory("Test GPU", freeBytes)), Machine.GpuOffload.SUPPORTED, true, true, 4);
    }

    private static Machine cpuOnly(long freeRam) {
        return new Machine(freeRam, List.of(), Machine.GpuOffload.NOT_SUPPORTED, true, false, 4);
    }

    private LoadDialogViewModel dialog(Machine machine) {
        return new LoadDialogViewModel(library, new InlineUiTasks(), () -> machine, model);
    }

    @Test
    void theLoadOptionsSavedInSettingsAreWhereTheDialogStarts() {
        var saved = LoadOptions.DEFAULT.withThreads(1).withContextSize(2048).withFlashAttention(true, KvCacheType.Q8_0)
                .withMemory(false, true);
        var vm = new LoadDialogViewModel(library, new InlineUiTasks(), () -> gpu(64 * GIB), model, saved); // mlock supported
        assertEquals(1, vm.threadsProperty().get());
        assertEquals(2048, vm.contextSizeProperty().get(), "the saved context cap, below the model's 4,096");
        assertEquals(KvCacheType.Q8_0, vm.kvCacheTypeProperty().get());
        var options = vm.request().orElseThrow().options();
        assertTrue(options.flashAttention());
        assertEquals(KvCacheType.Q8_0, options.kvCacheType());
        assertEquals(false, options.mmap());
        assertTrue(options.mlock());
    }

    @Test
    void defaultsFollowTheEnginesOwnRules() {
        var vm = dialog(cpuOnly(64 * GIB));
        assertEquals(LoadDialogViewModel.State.READY, vm.stateProperty().get());
        assertEquals(LoadOptions.DEFAULT.effectiveContextSize(4096), vm.contextSizeProperty().get());
        assertEquals(4096, vm.maxContextProperty().get());
        assertEquals(Math.min(vm.maxThreads(), 4), vm.threadsProperty().get());
        assertEquals(KvCacheType.F16, vm.kvCacheTypeProperty().get());
        assertTrue(vm.mmapProperty().get());
        assertEquals(4, vm.layerCountProperty().get());
    }

    @Test
    void theEstimateIsWeightsPlusTheKvCacheForTheChosenContextAndType() throws IOException {
        var vm = dialog(cpuOnly(64 * GIB));
        var info = GgufReader.open(model.path()).modelInfo();
        vm.contextSizeProperty().set(1024);
        vm.kvCacheTypeProperty().set(KvCacheType.Q8_0);
        var estimate = vm.estimateProperty().get();
        assertNotNull(estimate);
        assertEquals(info.weightsBytes(), estimate.weightsBytes());
        assertEquals(info.kvCacheBytes(1024, KvCacheType.Q8_0), estimate.kvCacheBytes());
        assertTrue(vm.estimateTextProperty().get().contains("1,024 tokens, q8_0"), vm.estimateTextProperty().get());
        vm.contextSizeProperty().set(4096);
        assertEquals(info.kvCacheBytes(4096, KvCacheType.Q8_0), vm.estimateProperty().get().kvCacheBytes());
    }

    @Test
    void aQuantizedKvCacheTurnsFlashAttentionOnAndTurningItOffGoesBackToF16() {
        var vm = dialog(cpuOnly(64 * GIB));
        assertFalse(vm.flashAttentionProperty().get());
        vm.kvCacheTypeProperty().set(KvCacheType.Q4_0);
        assertTrue(vm.flashAttentionProperty().get());
        vm.flashAttentionProperty().set(false);
        assertEquals(KvCacheType.F16, vm.kvCacheTypeProperty().get());
    }

    @Test
    void aLargeGpuFitsEveryLayerAndTheRequestOffloadsAll() {
        var vm = dialog(gpu(8 * GIB));
        assertEquals("fits on GPU", vm.fitLabelProperty().get());
        assertEquals(4, vm.gpuLayersProperty().get());
        assertEquals(LoadOptions.ALL_LAYERS, vm.request().orElseThrow().options().gpuLayers());
    }

    @Test
    void aSmallGpuSuggestsAPartialOffloadAndFewerChosenLayersNarrowTheBadge() {
        var probe = dialog(cpuOnly(64 * GIB));
        var need = probe.estimateProperty().get();
        long twoLayers = need.overheadBytes() + 2 * need.bytesPerLayer() + need.bytesPerLayer() / 2;
        var vm = dialog(gpu(twoLayers));
        assertEquals("partial offload (2 of 4 layers)", vm.fitLabelProperty().get());
        assertEquals(2, vm.gpuLayersProperty().get());
        vm.gpuLayersProperty().set(1);
        assertEquals(new ModelFit.PartialOffload(1, 4), vm.fitProperty().get());
        assertEquals(1, vm.request().orElseThrow().options().gpuLayers());
        vm.gpuLayersProperty().set(0);
        assertEquals("CPU only", vm.fitLabelProperty().get());
    }

    @Test
    void anEngineWithoutGpuOffloadDisablesTheSliderAndLoadsOnTheCpu() {
        var vm = dialog(cpuOnly(64 * GIB));
        assertFalse(vm.gpuAvailableProperty().get());
        assertEquals("This engine was built without GPU offload: the model runs on the CPU.", vm.gpuNoteProperty().get());
        assertEquals("CPU only", vm.fitLabelProperty().get());
        assertEquals(0, vm.request().orElseThrow().options().gpuLayers());
        assertFalse(vm.mlockProperty().get());
    }

    @Test
    void tooLittleMemoryIsTooLarge() {
        var vm = dialog(cpuOnly(1024));
        assertTrue(vm.fitProperty().get() instanceof ModelFit.TooLarge);
        assertEquals("too large", vm.fitLabelProperty().get());
    }

    @Test
    void theRequestCarriesEveryChosenOption() {
        var vm = dialog(gpu(8 * GIB));
        vm.gpuLayersProperty().set(3);
        vm.contextSizeProperty().set(2000);
        vm.threadsProperty().set(1);
        vm.kvCacheTypeProperty().set(KvCacheType.Q8_0);
        vm.mmapProperty().set(false);
        vm.mlockProperty().set(true);
        var request = vm.request().orElseThrow();
        assertEquals(model.path(), request.model());
        var o = request.options();
        assertEquals(3, o.gpuLayers());
        assertEquals(2000, o.contextSize());
        assertEquals(1, o.threads());
        assertTrue(o.flashAttention());
        assertEquals(KvCacheType.Q8_0, o.kvCacheType());
        assertFalse(o.mmap());
        assertTrue(o.mlock());
    }

    @Test
    void aContextBeyondTheTrainingContextIsRefusedWithASentence() {
        var vm = dialog(cpuOnly(64 * GIB));
        vm.contextSizeProperty().set(8192);
        assertFalse(vm.canLoadProperty().get());
        assertTrue(vm.request().isEmpty());
        assertEquals("The model was trained on 4,096 tokens: choose a context size up to that.", vm.messageProperty().get());
        vm.contextSizeProperty().set(4096);
        assertTrue(vm.canLoadProperty().get());
        assertEquals("", vm.messageProperty().get());
    }

    @Test
    void withoutAPreselectedModelTheFirstLibraryModelIsChosen() throws IOException {
        FixtureModel.builder().name("Other").write(models.resolve("zzz.gguf"));
        var vm = new LoadDialogViewModel(library, new InlineUiTasks(), () -> cpuOnly(64 * GIB), null);
        assertEquals(2, vm.models().size());
        assertEquals("four.gguf", vm.modelProperty().get().name());
        vm.modelProperty().set(vm.models().get(1));
        assertEquals(Path.of(models.resolve("zzz.gguf").toString()).toAbsolutePath(), vm.request().orElseThrow().model());
    }

    @Test
    void anEmptyLibrarySaysWhereToGetAModel(@TempDir Path empty) {
        var vm = new LoadDialogViewModel(new ModelLibrary(empty, List.of(), List.of()), new InlineUiTasks(), () -> cpuOnly(GIB), null);
        assertEquals(LoadDialogViewModel.State.UNUSABLE, vm.stateProperty().get());
        assertTrue(vm.messageProperty().get().startsWith("There are no models in the library yet"), vm.messageProperty().get());
        assertTrue(vm.request().isEmpty());
    }

    @Test
    void aBrokenModelFileIsUnusableWithItsReason() throws IOException {
        Files.write(model.path(), new byte[] {'G', 'G', 'U', 'F', 3, 0});
        var vm = dialog(cpuOnly(64 * GIB));
        assertEquals(LoadDialogViewModel.State.UNUSABLE, vm.stateProperty().get());
        assertTrue(vm.messageProperty().get().startsWith("Not a usable GGUF file"), vm.messageProperty().get());
        assertFalse(vm.canLoadProperty().get());
    }

    @Test
    void anEngineThatCannotAnswerLeavesTheFitToRamAndSaysWhy() {
        var vm = new LoadDialogViewModel(library, new InlineUiTasks(), () -> {
            throw new IOException("worker did not start");
        }, model);
        assertTrue(vm.gpuNoteProperty().get().contains("worker did not start"), vm.gpuNoteProperty().get());
        assertEquals(Machine.GpuOffload.UNKNOWN, vm.machineProperty().get().gpuOffload());
        assertTrue(vm.request().isPresent());
    }

    // ---- engines ---------------------------------------------------------------------------------------------------

    private LoadDialogViewModel onEngines(LocalModel chosen, dev.hearth.inference.pack.EngineCatalog catalog) {
        return new LoadDialogViewModel(library, new InlineUiTasks(), () -> cpuOnly(64 * GIB), chosen, LoadOptions.DEFAULT,
                catalog);
    }

    private LocalModel qwen3() throws IOException {
        var file = FixtureModel.builder().architecture("qwen3").width(64).layers(2).seed(5).write(models.resolve("q3.gguf"));
        return new ModelLibrary(models, List.of(), List.of()).list().stream().filter(m -> m.path().equals(file))
                .findFirst().orElseThrow();
    }

    @Test
    void aLlamaModelLoadsOnB4916ByDefaultAndTheRequestNamesTheEngine() {
        var vm = onEngines(model, new dev.hearth.inference.pack.EngineCatalog(List.of(), models.resolve("engines")));
        assertEquals("b4916", vm.engineProperty().get().name());
        assertEquals("b4916", vm.request().orElseThrow().engine());
        assertEquals("worker:b4916", vm.request().orElseThrow().engineLabel());
    }

    @Test
    void b4916IsRefusedInPlaceForAQwen3ModelWithoutACurrentEngine() throws IOException {
        var vm = onEngines(qwen3(), new dev.hearth.inference.pack.EngineCatalog(List.of(), models.resolve("engines")));
        assertEquals("b4916", vm.engineProperty().get().name());
        assertFalse(vm.canLoadProperty().get());
        assertEquals("The engine b4916 (llama.cpp b4916) is too old for the architecture 'qwen3': choose a current engine"
                + " (add one in Settings → Engines).", vm.messageProperty().get());
        assertTrue(vm.request().isEmpty());
    }

    @Test
    void aQwen3ModelDefaultsToTheCurrentPackAndChoosingB4916ShowsWhyItCannotLoad() throws IOException {
        var pack = Path.of(System.getProperty("hearth.test.enginePack", ""));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(pack.resolve("_nlcBuildMetadata.json")),
                "no engine pack was fetched at build time (npm missing or offline)");
        var catalog = new dev.hearth.inference.pack.EngineCatalog(List.of(pack.getParent()), models.resolve("engines"));
        var vm = onEngines(qwen3(), catalog);
        var current = vm.engineProperty().get();
        assertEquals(catalog.defaultFor("qwen3", false).name(), current.name(), "the rule hearth run uses");
        assertNotNull(current.directory());
        assertTrue(vm.canLoadProperty().get(), vm.messageProperty().get());

        vm.engineProperty().set(vm.engines().getFirst()); // b4916
        assertFalse(vm.canLoadProperty().get());
        assertTrue(vm.messageProperty().get().contains("too old for the architecture 'qwen3': choose a current engine."),
                vm.messageProperty().get());

        vm.engineProperty().set(current);
        assertTrue(vm.canLoadProperty().get());
        assertEquals(current.name(), vm.request().orElseThrow().engine());
    }
}
