package dev.hearth.ui.engine;

import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.gguf.KvCacheType;
import dev.hearth.inference.gguf.ModelInfo;
import dev.hearth.inference.library.FitEstimate;
import dev.hearth.inference.library.LocalModel;
import dev.hearth.inference.library.ModelFit;
import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.inference.pack.EngineCatalog;
import dev.hearth.ui.Cancellable;
import dev.hearth.ui.UiTasks;
import dev.hearth.ui.Units;
import dev.hearth.ui.models.ModelFiles;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/// The load dialog's state: which model, the engine's load options, and a live memory estimate with a fit badge.
///
/// The model's metadata, the library list and the machine's free memory are read off the UI thread (through
/// [UiTasks]); after that every field change recomputes the estimate on the UI thread, which is arithmetic only.
/// [#request()] gives the [LoadRequest] to hand to the engine manager.
public final class LoadDialogViewModel {
    /// Reading the model (or the library list); ready to load; or the chosen model cannot be used.
    public enum State { READING, READY, UNUSABLE }

    /// The KV cache types the dialog offers.
    public static final List<KvCacheType> KV_CACHE_TYPES = List.of(KvCacheType.F16, KvCacheType.Q8_0, KvCacheType.Q4_0);
    /// The largest context offered when a model does not say what it was trained on.
    public static final int MAX_CONTEXT_UNKNOWN = 1 << 20;

    private final ModelLibrary library;
    private final UiTasks tasks;
    private final ObservableList<LocalModel> models = FXCollections.observableArrayList();
    /// Read-only view of `models`, kept: listeners added to a wrapper made per call are lost when it is collected.
    private final ObservableList<LocalModel> modelsView = FXCollections.unmodifiableObservableList(models);
    private final ObjectProperty<@Nullable LocalModel> model = new SimpleObjectProperty<>();
    private final IntegerProperty gpuLayers = new SimpleIntegerProperty(0);
    private final ReadOnlyIntegerWrapper layerCount = new ReadOnlyIntegerWrapper(1);
    private final IntegerProperty contextSize = new SimpleIntegerProperty(LoadOptions.DEFAULT_CONTEXT_CAP);
    private final ReadOnlyIntegerWrapper maxContext = new ReadOnlyIntegerWrapper(MAX_CONTEXT_UNKNOWN);
    private final IntegerProperty threads = new SimpleIntegerProperty(LoadOptions.DEFAULT.effectiveThreads());
    private final BooleanProperty flashAttention = new SimpleBooleanProperty(false);
    private final ObjectProperty<KvCacheType> kvCacheType = new SimpleObjectProperty<>(KvCacheType.F16);
    private final BooleanProperty mmap = new SimpleBooleanProperty(true);
    private final BooleanProperty mlock = new SimpleBooleanProperty(false);
    private final ReadOnlyObjectWrapper<@Nullable Machine> machine = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper gpuAvailable = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper gpuNote = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<@Nullable FitEstimate> estimate = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper estimateText = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<@Nullable ModelFit> fit = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper fitLabel = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.READING);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper canLoad = new ReadOnlyBooleanWrapper(false);
    private @Nullable ModelInfo info;
    private long weightsBytes;
    private @Nullable Cancellable reading;
    private final LoadOptions defaults;
    private final ObservableList<EngineCatalog.Entry> engines = FXCollections.observableArrayList();
    /// Read-only view of `engines`, kept: listeners added to a wrapper made per call are lost when it is collected.
    private final ObservableList<EngineCatalog.Entry> enginesView = FXCollections.unmodifiableObservableList(engines);
    private final ObjectProperty<EngineCatalog.@Nullable Entry> engine = new SimpleObjectProperty<>();
    private final @Nullable EngineCatalog engineCatalog;
    private boolean engineChosen;
    private boolean settingEngine;

    /// @param machine   free memory and the engine's GPU support; blocking, so it is called through `tasks`
    /// @param preselect the model to show first (from the Models section), or `null` to choose from the library
    public LoadDialogViewModel(ModelLibrary library, UiTasks tasks, Callable<Machine> machine, @Nullable LocalModel preselect) {
        this(library, tasks, machine, preselect, LoadOptions.DEFAULT);
    }

    /// @param defaults the load options saved in Settings: threads, flash attention, KV cache type, mmap/mlock,
    ///                 context cap and batch sizes start from them
    public LoadDialogViewModel(ModelLibrary library, UiTasks tasks, Callable<Machine> machine, @Nullable LocalModel preselect,
            LoadOptions defaults) {
        this(library, tasks, machine, preselect, defaults, null);
    }

    /// @param engineCatalog the engines to offer (Settings → Engines); `null` offers none and loads on the app's
    ///                      default library. The default engine is the one `hearth run` picks without `--engine`
    ///                      ([EngineCatalog#defaultFor]), until the user picks another.
    public LoadDialogViewModel(ModelLibrary library, UiTasks tasks, Callable<Machine> machine, @Nullable LocalModel preselect,
            LoadOptions defaults, @Nullable EngineCatalog engineCatalog) {
        this.library = library;
        this.tasks = tasks;
        this.defaults = defaults;
        this.engineCatalog = engineCatalog;
        engine.addListener((_, _, _) -> {
            if (!settingEngine) engineChosen = true;
            recompute();
        });
        threads.set(defaults.effectiveThreads());
        flashAttention.set(defaults.flashAttention());
        kvCacheType.set(defaults.kvCacheType());
        mmap.set(defaults.mmap());
        mlock.set(defaults.mlock());
        model.addListener((_, _, now) -> read(now));
        kvCacheType.addListener((_, _, now) -> {
            if (now != KvCacheType.F16 && !flashAttention.get()) flashAttention.set(true); // llama.cpp needs it
            recompute();
        });
        flashAttention.addListener((_, _, on) -> {
            if (!on && kvCacheType.get() != KvCacheType.F16) kvCacheType.set(KvCacheType.F16);
            recompute();
        });
        gpuLayers.addListener((_, _, _) -> {
            defaultEngine(); // layers on the GPU pick a GPU engine, as --gpu-layers does
            recompute();
        });
        contextSize.addListener((_, _, _) -> recompute());
        threads.addListener((_, _, _) -> recompute());
        mmap.addListener((_, _, _) -> recompute());
        mlock.addListener((_, _, _) -> recompute());
        tasks.run(() -> Machine.probe(machine), probed -> {
            machineKnown(probed.machine());
            var failure = probed.failure();
            if (failure != null) {
                gpuNote.set("The engine did not say which GPUs it has (" + describe(failure) + "); the fit counts RAM only.");
            }
        }, failure -> gpuNote.set("The machine's memory could not be read: " + describe(failure)));
        if (engineCatalog != null) {
            tasks.run(engineCatalog::list, list -> {
                engines.setAll(list);
                defaultEngine();
            }, failure -> message.set("The engines could not be listed: " + describe(failure)));
        }
        if (preselect != null) {
            models.setAll(preselect);
            model.set(preselect);
        }
        tasks.run(library::list, list -> {
            var current = model.get();
            models.setAll(list);
            if (current != null && !list.contains(current)) models.addFirst(current);
            if (current == null && !list.isEmpty()) model.set(list.getFirst());
            if (current == null && list.isEmpty()) {
                state.set(State.UNUSABLE);
                message.set("There are no models in the library yet: download one in the Models section.");
            }
        }, failure -> message.set("The library could not be read: " + describe(failure)));
    }

    // ---- state out ------------------------------------------------------------------------------------------------

    public ObservableList<LocalModel> models() {
        return modelsView;
    }

    public ObjectProperty<@Nullable LocalModel> modelProperty() {
        return model;
    }

    /// The engines to choose from (empty without an engine catalog).
    public ObservableList<EngineCatalog.Entry> engines() {
        return enginesView;
    }

    /// The engine the model loads on; `null` while the engines are read (or when none are offered).
    public ObjectProperty<EngineCatalog.@Nullable Entry> engineProperty() {
        return engine;
    }

    /// Layers to offload, 0..[#layerCountProperty()]; the maximum means all ([LoadOptions#ALL_LAYERS]).
    public IntegerProperty gpuLayersProperty() {
        return gpuLayers;
    }

    /// The model's layer count (1 until it is known).
    public ReadOnlyIntegerProperty layerCountProperty() {
        return layerCount.getReadOnlyProperty();
    }

    public IntegerProperty contextSizeProperty() {
        return contextSize;
    }

    /// The model's training context, the largest the dialog accepts.
    public ReadOnlyIntegerProperty maxContextProperty() {
        return maxContext.getReadOnlyProperty();
    }

    public IntegerProperty threadsProperty() {
        return threads;
    }

    public BooleanProperty flashAttentionProperty() {
        return flashAttention;
    }

    /// Quantized types switch flash attention on (llama.cpp needs it); switching it off goes back to f16.
    public ObjectProperty<KvCacheType> kvCacheTypeProperty() {
        return kvCacheType;
    }

    public BooleanProperty mmapProperty() {
        return mmap;
    }

    public BooleanProperty mlockProperty() {
        return mlock;
    }

    /// The machine once known; `null` while it is being asked.
    public ReadOnlyObjectProperty<@Nullable Machine> machineProperty() {
        return machine.getReadOnlyProperty();
    }

    /// Whether the GPU-layers slider means anything: the engine offloads and a GPU is there.
    public ReadOnlyBooleanProperty gpuAvailableProperty() {
        return gpuAvailable.getReadOnlyProperty();
    }

    /// Why the slider is off, or which GPUs there are, in one sentence.
    public ReadOnlyStringProperty gpuNoteProperty() {
        return gpuNote.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<@Nullable FitEstimate> estimateProperty() {
        return estimate.getReadOnlyProperty();
    }

    /// "Weights 4.1 GiB + KV cache 1.0 GiB (8,192 tokens, f16) + compute 512 MiB = 5.6 GiB".
    public ReadOnlyStringProperty estimateTextProperty() {
        return estimateText.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<@Nullable ModelFit> fitProperty() {
        return fit.getReadOnlyProperty();
    }

    /// "fits on GPU", "partial offload (N of M layers)", "CPU only", "too large", or empty while unknown.
    public ReadOnlyStringProperty fitLabelProperty() {
        return fitLabel.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /// What is wrong with the choices, or an empty string.
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canLoadProperty() {
        return canLoad.getReadOnlyProperty();
    }

    /// The largest thread count offered: the machine's hardware threads.
    public int maxThreads() {
        return Math.max(1, Math.min(512, Runtime.getRuntime().availableProcessors()));
    }

    // ---- commands -------------------------------------------------------------------------------------------------

    /// The load the fields describe, or empty while they do not describe one.
    public Optional<LoadRequest> request() {
        var chosen = model.get();
        if (!canLoad.get() || chosen == null) return Optional.empty();
        var on = engine.get();
        return Optional.of(new LoadRequest(chosen.path(), options(), on == null ? null : on.name()));
    }

    /// Cancels background reading (the dialog was closed).
    public void close() {
        if (reading != null) reading.cancel();
    }

    // ---- internals ------------------------------------------------------------------------------------------------

    private LoadOptions options() {
        int layers = !gpuAvailable.get() ? 0 : gpuLayers.get() >= layerCount.get() ? LoadOptions.ALL_LAYERS : Math.max(0, gpuLayers.get());
        return defaults
                .withGpuLayers(layers)
                .withContextSize(contextSize.get())
                .withThreads(threads.get())
                .withFlashAttention(flashAttention.get(), kvCacheType.get())
                .withMemory(mmap.get(), mlock.get());
    }

    private static String describe(Throwable e) {
        var m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private record Read(ModelInfo info, long weightsBytes) {}

    private void read(@Nullable LocalModel chosen) {
        if (reading != null) reading.cancel();
        info = null;
        estimate.set(null);
        fit.set(null);
        fitLabel.set("");
        estimateText.set("");
        if (chosen == null) {
            state.set(State.UNUSABLE);
            message.set("Choose a model.");
            canLoad.set(false);
            return;
        }
        state.set(State.READING);
        message.set("Reading " + chosen.name() + " …");
        canLoad.set(false);
        reading = tasks.run(() -> new Read(library.info(chosen), library.estimate(chosen, 1, KvCacheType.F16).weightsBytes()),
                read -> {
                    if (chosen != model.get()) return;
                    info = read.info();
                    weightsBytes = read.weightsBytes();
                    int training = (int) Math.min(Integer.MAX_VALUE, read.info().contextLength());
                    layerCount.set((int) Math.max(1, Math.min(Integer.MAX_VALUE, read.info().blockCount())));
                    maxContext.set(training > 0 ? training : MAX_CONTEXT_UNKNOWN);
                    contextSize.set(defaults.effectiveContextSize(training));
                    state.set(State.READY);
                    message.set("");
                    suggestLayers();
                    defaultEngine();
                    recompute();
                },
                failure -> {
                    if (chosen != model.get()) return;
                    state.set(State.UNUSABLE);
                    message.set(failure instanceof IOException io ? ModelFiles.problem(io)
                            : "The model could not be read: " + describe(failure));
                    canLoad.set(false);
                });
    }

    /// Picks the default engine for the model's architecture unless the user chose one.
    private void defaultEngine() {
        var catalog = engineCatalog;
        if (catalog == null || engines.isEmpty() || engineChosen) return;
        var i = info;
        var pick = catalog.defaultFor(i == null ? null : i.architecture(), gpuLayers.get() > 0);
        var same = engines.stream().filter(e -> e.name().equals(pick.name())).findFirst().orElse(engines.getFirst());
        settingEngine = true;
        try {
            engine.set(same);
        } finally {
            settingEngine = false;
        }
    }

    private void machineKnown(Machine m) {
        machine.set(m);
        gpuAvailable.set(m.canOffload() || m.gpuOffload() == Machine.GpuOffload.UNKNOWN);
        mmap.set(mmap.get() && m.mmap());
        if (!m.mlock()) mlock.set(false);
        // threads saved in Settings stay; "automatic" (0) means the physical cores
        threads.set(Math.min(maxThreads(), defaults.threads() > 0 ? defaults.threads() : m.physicalCores()));
        gpuNote.set(switch (m.gpuOffload()) {
            case SUPPORTED -> m.gpus().isEmpty() ? "The engine supports GPU offload but found no GPU: the model runs on the CPU."
                    : "GPU: " + String.join(", ", m.gpus().stream().map(g -> g.name() + " (" + Units.bytes(g.freeBytes()) + " free)").toList());
            case NOT_SUPPORTED -> "This engine was built without GPU offload: the model runs on the CPU.";
            case UNKNOWN -> "No engine has reported its GPUs yet: the fit counts RAM only.";
        });
        if (!m.canOffload() && m.gpuOffload() != Machine.GpuOffload.UNKNOWN) gpuLayers.set(0);
        suggestLayers();
        recompute();
    }

    private void suggestLayers() {
        var m = machine.get();
        if (info == null || m == null || !m.canOffload()) return;
        int suggested = LoadFit.suggestedGpuLayers(need(), m);
        gpuLayers.set(suggested >= layerCount.get() ? layerCount.get() : suggested);
    }

    private FitEstimate need() {
        var i = info;
        if (i == null) throw new IllegalStateException("no model info yet");
        return FitEstimate.of(i, weightsBytes, Math.max(1, contextSize.get()), kvCacheType.get());
    }

    private void recompute() {
        if (info == null || state.get() != State.READY) return;
        var problem = problem();
        if (problem != null) {
            message.set(problem);
            canLoad.set(false);
            estimate.set(null);
            estimateText.set("");
            fit.set(null);
            fitLabel.set("");
            return;
        }
        message.set("");
        var need = need();
        estimate.set(need);
        estimateText.set(String.format(Locale.ROOT, "Weights %s + KV cache %s (%,d tokens, %s) + compute %s = %s",
                Units.bytes(need.weightsBytes()), Units.bytes(need.kvCacheBytes()), contextSize.get(),
                kvCacheType.get().name().toLowerCase(Locale.ROOT), Units.bytes(need.overheadBytes()), Units.bytes(need.totalBytes())));
        var m = machine.get();
        if (m == null) {
            fit.set(null);
            fitLabel.set("");
        } else {
            int layers = !m.canOffload() ? 0 : gpuLayers.get() >= layerCount.get() ? LoadOptions.ALL_LAYERS : gpuLayers.get();
            var f = LoadFit.of(need, m, layers);
            fit.set(f);
            fitLabel.set(f.label());
        }
        canLoad.set(true);
    }

    private @Nullable String problem() {
        if (contextSize.get() < 1) return "The context size must be at least 1 token.";
        if (contextSize.get() > maxContext.get()) {
            return String.format(Locale.ROOT, "The model was trained on %,d tokens: choose a context size up to that.", maxContext.get());
        }
        if (threads.get() < 1 || threads.get() > 512) return "Threads must be between 1 and 512.";
        if (gpuLayers.get() < 0) return "GPU layers cannot be negative.";
        var on = engine.get();
        var architecture = info == null ? null : info.architecture();
        if (on != null && architecture != null && !on.mayLoad(architecture)) {
            return "The engine " + on.name() + " (llama.cpp " + on.build() + ") is too old for the architecture '"
                    + architecture + "': choose a current engine" + (engines.size() > 1 ? "." : " (add one in Settings → Engines).");
        }
        return null;
    }
}
