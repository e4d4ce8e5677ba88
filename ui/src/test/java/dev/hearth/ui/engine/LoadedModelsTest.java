package dev.hearth.ui.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.LoadOptions;
import dev.hearth.ui.InlineUiTasks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadedModelsTest {
    private final List<ScriptedEngine> engines = new ArrayList<>();
    private boolean failNext;
    private Runnable duringLoad = () -> {};
    private final LoadedModels models = new LoadedModels(() -> {
        var e = new ScriptedEngine();
        e.failLoad = this.failNext;
        e.duringLoad = this.duringLoad;
        engines.add(e);
        return e;
    }, new InlineUiTasks());

    @Test
    void aLoadedModelIsReadyActiveAndShowsItsMemory() {
        var model = models.load(new LoadRequest(Path.of("/models/tiny.gguf"), LoadOptions.DEFAULT));
        assertEquals(LoadedModel.State.READY, model.state());
        assertEquals("tiny.gguf", model.name());
        assertEquals(1.0, model.progressProperty().get());
        assertEquals(1234, model.memoryBytesProperty().get(), "in-process: the model's size");
        assertEquals(model, models.activeProperty().get());
        assertEquals("in-process", model.engineKind());
    }

    @Test
    void aFailedLoadSaysWhyInOneSentenceAndClosesItsEngine() {
        failNext = true;
        var model = models.load(new LoadRequest(Path.of("/models/bad.gguf"), LoadOptions.DEFAULT));
        assertEquals(LoadedModel.State.FAILED, model.state());
        assertEquals("This file is not a GGUF model.", model.messageProperty().get());
        assertTrue(engines.getFirst().closed);
    }

    @Test
    void cancellingALoadStopsItClosesTheEngineAndRemovesTheModel() {
        var progress = new ArrayList<Double>();
        duringLoad = () -> {
            var loading = models.models().getFirst();
            progress.add(loading.progressProperty().get());
            assertEquals(LoadedModel.State.LOADING, loading.state());
            models.cancelLoad(loading);
        };
        var model = models.load(new LoadRequest(Path.of("/models/big.gguf"), LoadOptions.DEFAULT));
        assertEquals(List.of(0.5), progress, "progress reaches the model while it loads");
        assertEquals(LoadedModel.State.UNLOADED, model.state());
        assertTrue(models.models().isEmpty());
        assertTrue(engines.getFirst().closed);
    }

    @Test
    void unloadClosesTheEngineAndRemovesTheModel() {
        var model = models.load(new LoadRequest(Path.of("/models/a.gguf"), LoadOptions.DEFAULT));
        models.unload(model);
        assertTrue(engines.getFirst().closed);
        assertTrue(models.models().isEmpty());
        assertNull(models.activeProperty().get());
        assertEquals(LoadedModel.State.UNLOADED, model.state());
    }

    @Test
    void closeShutsEveryEngineDown() {
        models.load(new LoadRequest(Path.of("/models/a.gguf"), LoadOptions.DEFAULT));
        models.load(new LoadRequest(Path.of("/models/b.gguf"), LoadOptions.DEFAULT));
        models.close();
        assertTrue(engines.stream().allMatch(e -> e.closed));
    }
}
