package dev.hearth.ui.engine;

import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import dev.hearth.inference.ModelSummary;
import dev.hearth.inference.worker.EngineClient;
import java.nio.file.Path;
import java.util.Optional;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.jspecify.annotations.Nullable;

/// One model the user loaded, in its own engine (a worker process in the app). Its properties change on the UI
/// thread only; [LoadedModels] drives the lifecycle, the chat marks generations.
public final class LoadedModel {
    /// Where the model stands.
    public enum State { LOADING, READY, GENERATING, FAILED, UNLOADED }

    private final LoadRequest request;
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.LOADING);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyLongWrapper memoryBytes = new ReadOnlyLongWrapper(0);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("Starting the engine…");
    private volatile @Nullable Engine engine;
    private volatile @Nullable ModelSummary summary;
    private volatile @Nullable Path logFile;
    private volatile boolean cancelRequested;

    LoadedModel(LoadRequest request) {
        this.request = request;
    }

    public LoadRequest request() {
        return request;
    }

    /// The file name, as the status bar shows it.
    public String name() {
        var name = request.model().getFileName();
        return name == null ? request.model().toString() : name.toString();
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public State state() {
        return state.get();
    }

    /// Load progress, 0..1.
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /// Memory the engine holds for this model (the worker's resident memory, or the model's size in-process).
    public ReadOnlyLongProperty memoryBytesProperty() {
        return memoryBytes.getReadOnlyProperty();
    }

    /// One sentence about the state ("Loading…", why it failed, how the engine stopped).
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /// The loaded model's facts, once loaded.
    public Optional<ModelSummary> summary() {
        return Optional.ofNullable(summary);
    }

    /// The worker's log file, when the engine runs in a worker.
    public Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }

    /// The engine holding the model; use it off the UI thread. Fails with `NO_MODEL_LOADED` unless ready.
    public Engine engine() {
        var e = engine;
        if (e == null || summary == null) throw new EngineException(Failure.Kind.NO_MODEL_LOADED, name() + " is not loaded");
        return e;
    }

    /// `worker:NAME` (or `worker` without a named engine) or `in-process`, as the session log records it.
    public String engineKind() {
        var e = engine;
        return e == null || e instanceof EngineClient ? request.engineLabel() : "in-process";
    }

    /// The engine's name the model was loaded on, or empty for the app's default library.
    public java.util.Optional<String> engineName() {
        return java.util.Optional.ofNullable(request.engine());
    }

    /// Marks a generation starting (`true`) or ending; ignored unless the model is ready/generating.
    public void generating(boolean on) {
        if (state.get() == State.READY && on) state.set(State.GENERATING);
        else if (state.get() == State.GENERATING && !on) state.set(State.READY);
    }

    // ---- driven by LoadedModels ----

    boolean cancelRequested() {
        return cancelRequested;
    }

    void requestCancel() {
        cancelRequested = true;
    }

    @Nullable Engine currentEngine() {
        return engine;
    }

    /// The engine, whether or not its load finished; the model keeps no engine afterwards.
    @Nullable Engine takeEngineIfStarted() {
        return takeEngine();
    }

    @Nullable Engine takeEngine() {
        var e = engine;
        engine = null;
        summary = null;
        return e;
    }

    void starting() {
        cancelRequested = false;
        progress.set(0);
        memoryBytes.set(0);
        state.set(State.LOADING);
        message.set("Starting the engine…");
    }

    void engineStarted(Engine started) {
        engine = started;
        logFile = started instanceof EngineClient c ? c.logFile() : null;
    }

    void progress(double fraction) {
        if (state.get() != State.LOADING) return;
        progress.set(fraction);
        message.set(String.format(java.util.Locale.ROOT, "Loading %.0f %%", fraction * 100));
    }

    void loaded(ModelSummary loaded, long memory) {
        summary = loaded;
        progress.set(1);
        memoryBytes.set(memory);
        state.set(State.READY);
        message.set("Ready");
    }

    void memory(long bytes) {
        if (bytes > 0) memoryBytes.set(bytes);
    }

    void failed(String sentence) {
        state.set(State.FAILED);
        message.set(sentence);
    }

    void unloaded() {
        state.set(State.UNLOADED);
        memoryBytes.set(0);
        message.set("Unloaded");
    }
}
