package dev.hearth.ui.engine;

import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import dev.hearth.inference.ModelSummary;
import dev.hearth.inference.worker.EngineClient;
import dev.hearth.ui.FrameCoalescer;
import dev.hearth.ui.UiTasks;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/// The models the user has loaded, each in its own engine from the injected factory (a fresh worker process per model
/// in the app). Loads run off the UI thread with progress and Cancel; a worker that dies is noticed and its model
/// says what happened; Reload starts a fresh engine with the same [LoadRequest]. [#close()] shuts every engine down.
public final class LoadedModels implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LoadedModels.class.getName());

    private final Function<LoadRequest, ? extends Engine> engines;
    private final UiTasks tasks;
    private final ObservableList<LoadedModel> models = FXCollections.observableArrayList();
    private final ObservableList<LoadedModel> readOnly = FXCollections.unmodifiableObservableList(models);
    private final ObjectProperty<@Nullable LoadedModel> active = new SimpleObjectProperty<>();
    private @Nullable ScheduledExecutorService watcher;

    /// @param engines makes a new engine, the same for every request
    public LoadedModels(Supplier<? extends Engine> engines, UiTasks tasks) {
        this(_ -> engines.get(), tasks);
    }

    /// @param engines makes a new engine for a request: the app starts a worker process for the request's engine
    ///                ([LoadRequest#engine()]), so every model, and every engine, has a process of its own
    public LoadedModels(Function<LoadRequest, ? extends Engine> engines, UiTasks tasks) {
        this.engines = engines;
        this.tasks = tasks;
    }

    /// The loaded (and loading, and failed) models, in the order they were asked for.
    public ObservableList<LoadedModel> models() {
        return readOnly;
    }

    /// The model the chat talks to: the last one loaded, or the one the user picked.
    public ObjectProperty<@Nullable LoadedModel> activeProperty() {
        return active;
    }

    /// Loads a model in a new engine, off the UI thread; the model is listed at once (state `LOADING`) and becomes
    /// the active one.
    public LoadedModel load(LoadRequest request) {
        var model = new LoadedModel(request);
        models.add(model);
        active.set(model);
        start(model);
        return model;
    }

    /// Stops a load in progress; the model leaves the list.
    public void cancelLoad(LoadedModel model) {
        if (model.state() != LoadedModel.State.LOADING) return;
        model.requestCancel();
        var engine = model.currentEngine();
        if (engine != null) engine.cancel();
    }

    /// Frees the model and its engine (the worker process ends); the model leaves the list.
    public void unload(LoadedModel model) {
        if (model.state() == LoadedModel.State.LOADING) {
            cancelLoad(model);
            return;
        }
        var engine = model.takeEngine();
        model.unloaded();
        remove(model);
        if (engine != null) closeLater(engine);
    }

    /// Loads the same file with the same options in a fresh engine (after a crash, or to start over).
    public void reload(LoadedModel model) {
        if (model.state() == LoadedModel.State.LOADING) return;
        var old = model.takeEngine();
        if (old != null) closeLater(old);
        if (!models.contains(model)) models.add(model);
        active.set(model);
        start(model);
    }

    /// Records that the model's engine stopped (a generation failed with a crash); the model says how.
    public void engineStopped(LoadedModel model, Failure failure) {
        if (model.state() == LoadedModel.State.UNLOADED || model.state() == LoadedModel.State.LOADING) return;
        var engine = model.takeEngine();
        model.failed(stoppedSentence(engine, failure));
        if (engine != null) closeLater(engine);
    }

    /// Notices worker processes that ended on their own since the last look. Called on the UI thread.
    public void checkWorkers() {
        for (var model : List.copyOf(models)) {
            var state = model.state();
            if (state != LoadedModel.State.READY && state != LoadedModel.State.GENERATING) continue;
            if (model.currentEngine() instanceof EngineClient client && !client.isAlive()) {
                engineStopped(model, new Failure(Failure.Kind.ENGINE_CRASHED,
                        client.exit().map(EngineClient.WorkerExit::describe).orElse("the engine worker ended")));
            }
        }
    }

    /// Looks for ended workers every `period` (and refreshes memory figures) until [#close()].
    public synchronized void watchWorkers(Duration period) {
        if (watcher != null) return;
        var w = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("hearth-worker-watch").factory());
        w.scheduleWithFixedDelay(() -> tasks.post(this::checkWorkers), period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
        watcher = w;
    }

    /// Measures the model's memory again (after a generation the KV cache is filled), off the UI thread.
    public void refreshMemory(LoadedModel model) {
        var engine = model.currentEngine();
        var summary = model.summary().orElse(null);
        if (engine == null || summary == null) return;
        tasks.run(() -> ProcessMemory.of(engine, summary), model::memory, _ -> {});
    }

    /// Shuts every engine down (the app's exit); waits for them.
    @Override
    public void close() {
        synchronized (this) {
            if (watcher != null) watcher.shutdownNow();
        }
        for (var model : List.copyOf(models)) {
            model.requestCancel();
            var engine = model.takeEngineIfStarted();
            if (engine != null) {
                try {
                    engine.close();
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "closing an engine", e);
                }
            }
        }
    }

    private void start(LoadedModel model) {
        model.starting();
        var progress = new FrameCoalescer<Float>(tasks, batch -> model.progress(batch.getLast()));
        tasks.run(() -> {
            var engine = engines.apply(model.request());
            model.engineStarted(engine);
            if (model.cancelRequested()) throw new EngineException(Failure.Kind.LOAD_CANCELLED, "cancelled before loading");
            var request = model.request();
            ModelSummary summary = engine.load(request.model(), request.options(), fraction -> {
                progress.add(fraction);
                return !model.cancelRequested();
            });
            return new Loaded(engine, summary, ProcessMemory.of(engine, summary));
        }, loaded -> {
            if (model.cancelRequested()) {
                model.takeEngine();
                closeLater(loaded.engine());
                model.unloaded();
                remove(model);
                return;
            }
            model.loaded(loaded.summary(), loaded.memory());
        }, failure -> {
            var engine = model.takeEngineIfStarted();
            if (engine != null) closeLater(engine);
            if (failure instanceof EngineException e && e.kind() == Failure.Kind.LOAD_CANCELLED || model.cancelRequested()) {
                model.unloaded();
                remove(model);
                return;
            }
            LOG.log(Level.WARNING, "loading " + model.request().model() + " failed", failure);
            model.failed(EngineFailures.sentence(failure));
        });
    }

    private record Loaded(Engine engine, ModelSummary summary, long memory) {}

    private void remove(LoadedModel model) {
        models.remove(model);
        if (active.get() == model) active.set(models.isEmpty() ? null : models.getLast());
    }

    private void closeLater(Engine engine) {
        tasks.run(() -> {
            engine.close();
            return true;
        }, _ -> {}, e -> LOG.log(Level.FINE, "closing an engine", e));
    }

    private static String stoppedSentence(@Nullable Engine engine, Failure failure) {
        if (engine instanceof EngineClient client && client.exit().isPresent()) {
            var exit = client.exit().get();
            return "The engine stopped (" + exit.reason() + ")"
                    + (exit.stage() == EngineClient.Stage.IDLE ? "." : " during " + exit.stage().words() + ".");
        }
        return EngineFailures.sentence(failure.kind());
    }
}
