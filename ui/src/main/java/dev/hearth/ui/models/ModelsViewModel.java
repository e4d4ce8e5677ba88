package dev.hearth.ui.models;

import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.hub.HubClient;
import dev.hearth.inference.hub.ModelDownloader;
import dev.hearth.inference.library.LocalModel;
import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.ui.Cancellable;
import dev.hearth.ui.UiTasks;
import dev.hearth.ui.engine.LoadDialogViewModel;
import dev.hearth.ui.engine.LoadFit;
import dev.hearth.ui.engine.LoadRequest;
import dev.hearth.ui.settings.ModelFolders;
import dev.hearth.ui.engine.Machine;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/// The Models section's state: the library's models (Hearth's models folder, and other tools' caches read-only) with
/// their metadata and fit, the entry shown in detail (one from the list, or a file the user chose or dropped), import
/// and removal, the Hub search ([#hub()]) and the downloads panel ([#downloads()]). "Load…" opens the load dialog
/// ([#loadDialog]) and hands its [LoadRequest] to the engine manager given to the constructor.
public final class ModelsViewModel {
    public enum State { SCANNING, READY, FAILED }

    private final ModelLibrary library;
    private final Path folder;
    private final UiTasks tasks;
    private final ObservableList<ModelEntry> models = FXCollections.observableArrayList();
    private final ObservableList<ModelEntry> readOnlyModels = FXCollections.unmodifiableObservableList(models);
    private final ObjectProperty<@Nullable ModelEntry> selected = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.READY);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final @Nullable ModelFolders folders;
    private final Supplier<LoadOptions> loadDefaults;
    private Supplier<dev.hearth.inference.pack.@Nullable EngineCatalog> engineCatalog = () -> null;
    private final ReadOnlyObjectWrapper<@Nullable Machine> machine = new ReadOnlyObjectWrapper<>();
    private final Callable<Machine> machineProbe;
    private final Consumer<LoadRequest> load;
    private final DownloadsViewModel downloads;
    private final HubViewModel hub;
    private @Nullable Cancellable scan;
    private @Nullable Path selectAfterRefresh;

    /// @param machineProbe free memory and the engine's GPUs (blocking: the engine manager's capabilities, or
    ///                     [Machine#withoutEngine()] before there is an engine); called through `tasks`
    /// @param load         carries out a load the user confirmed in the load dialog (the engine manager)
    public ModelsViewModel(ModelLibrary library, HubClient hubClient, ModelDownloader downloader, UiTasks tasks,
                           Callable<Machine> machineProbe, Consumer<LoadRequest> load) {
        this(library, hubClient, downloader, tasks, machineProbe, load, null, () -> LoadOptions.DEFAULT);
    }

    /// @param folders      the user's own model folders (kept in the settings); `null` hides "Add folder…"
    /// @param loadDefaults the load options the load dialog starts from (those saved in Settings)
    public ModelsViewModel(ModelLibrary library, HubClient hubClient, ModelDownloader downloader, UiTasks tasks,
                           Callable<Machine> machineProbe, Consumer<LoadRequest> load, @Nullable ModelFolders folders,
                           Supplier<LoadOptions> loadDefaults) {
        this.library = library;
        this.folders = folders;
        this.loadDefaults = loadDefaults;
        this.folder = library.modelsDir();
        this.tasks = tasks;
        this.machineProbe = machineProbe;
        this.load = load;
        this.downloads = new DownloadsViewModel(downloader, tasks, files -> {
            if (!files.isEmpty()) selectAfterRefresh = files.getFirst();
            refresh();
        });
        this.hub = new HubViewModel(hubClient, tasks, downloads, machine.getReadOnlyProperty());
    }

    public HubViewModel hub() {
        return hub;
    }

    public DownloadsViewModel downloads() {
        return downloads;
    }

    /// Free memory and GPUs, once probed (the first [#refresh()] asks); `null` until then.
    public ReadOnlyObjectProperty<@Nullable Machine> machineProperty() {
        return machine.getReadOnlyProperty();
    }

    /// The fit badge of a library entry at its default context with an f16 KV cache, all layers offloaded where
    /// the engine can; empty while the machine or the model is unknown.
    public String fitLabel(ModelEntry entry) {
        var m = machine.get();
        var estimate = entry.estimate();
        if (m == null || estimate == null) return "";
        return LoadFit.of(estimate, m, dev.hearth.inference.LoadOptions.ALL_LAYERS).label();
    }

    /// A load dialog for a library model (the caller shows it, e.g. with `LoadDialog.ask`), or `null` for a file
    /// that is not in the library or cannot be used.
    public @Nullable LoadDialogViewModel loadDialog(ModelEntry entry) {
        var model = entry.model();
        if (model == null || !entry.usable()) return null;
        return new LoadDialogViewModel(library, tasks, machineProbe, model, loadDefaults.get(), engineCatalog.get());
    }

    /// Hands a confirmed load to the engine manager (which shows its progress).
    public void load(LoadRequest request) {
        load.accept(request);
    }

    /// Whether the user can add folders of their own to the library.
    public boolean canAddFolders() {
        return folders != null;
    }

    /// Adds a folder of the user's to the library (kept in the settings), then lists it. Off the UI thread; a folder
    /// that is missing, unreadable or already there gets one sentence in place.
    public void addFolder(Path dir) {
        var known = folders;
        if (known == null) return;
        message.set("Adding " + dir + " …");
        tasks.run(() -> known.add(dir), added -> {
            message.set("Added " + added + " to the library.");
            refresh();
        }, failure -> message.set(failure instanceof ModelFolders.FolderException ? failure.getMessage()
                : "Could not add " + dir + ": " + HubMessages.sentence(failure)));
    }

    /// Brings a GGUF file into the library (a copy, or a link to it), then selects it. Off the UI thread.
    public void importFile(Path file, ModelLibrary.ImportMode mode) {
        message.set((mode == ModelLibrary.ImportMode.COPY ? "Copying " : "Linking ") + file.getFileName() + " into the library …");
        tasks.run(() -> library.importModel(file, mode), (LocalModel imported) -> {
            selectAfterRefresh = imported.path();
            refresh();
        }, failure -> {
            state.set(State.READY);
            message.set("Could not import " + file.getFileName() + ": " + HubMessages.sentence(failure));
        });
    }

    /// Deletes a model's files (the view has asked the user). Other tools' models are refused with a sentence.
    public void remove(ModelEntry entry) {
        var model = entry.model();
        if (model == null) return;
        tasks.run(() -> {
            library.remove(model);
            return model;
        }, _ -> {
            var current = selected.get();
            if (current != null && current.path().equals(entry.path())) selected.set(null);
            refresh();
        }, failure -> message.set("Could not remove " + entry.name() + ": " + HubMessages.sentence(failure)));
    }

    public Path folder() {
        return folder;
    }

    public ObservableList<ModelEntry> models() {
        return readOnlyModels;
    }

    /// The entry shown in the details pane; `null` shows none.
    public ObjectProperty<@Nullable ModelEntry> selectedProperty() {
        return selected;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /// One line about the list: how many models, or why there are none.
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /// Reads the library again, off the UI thread.
    public void refresh() {
        if (machine.get() == null) {
            tasks.run(() -> Machine.probe(machineProbe).machine(), machine::set, _ -> {});
        }
        if (scan != null) scan.cancel();
        state.set(State.SCANNING);
        message.set("Reading " + folder + " …");
        scan = tasks.run(() -> library.list().stream().map(m -> ModelFiles.inspect(library, m)).toList(),
                this::showModels,
                failure -> {
                    models.clear();
                    state.set(State.FAILED);
                    message.set("Could not read the models folder " + folder + ": " + failure.getMessage());
                });
    }

    /// Reads any GGUF file (chosen or dropped) and shows it in the details pane, without adding it to the list.
    public void inspect(Path file) {
        tasks.run(() -> ModelFiles.inspect(file), selected::set, failure -> selected.set(
                ModelEntry.unusable(file, 0, "The file could not be read: " + failure.getMessage())));
    }

    private void showModels(List<ModelEntry> found) {
        models.setAll(found);
        state.set(State.READY);
        long usable = found.stream().filter(ModelEntry::usable).count();
        if (found.isEmpty()) {
            message.set("No models in " + folder + " yet. Put .gguf files there, or drop a file here to inspect it.");
        } else {
            long elsewhere = found.stream().filter(e -> e.source() != null && e.source().readOnly()).count();
            message.set(usable + (usable == 1 ? " model" : " models")
                    + (usable < found.size() ? " (" + (found.size() - usable) + " unusable)" : "")
                    + (elsewhere > 0 ? ", " + elsewhere + " of them in other tools' folders (read-only)" : "")
                    + "; Hearth's folder is " + folder);
        }
        var wanted = selectAfterRefresh;
        selectAfterRefresh = null;
        if (wanted != null) {
            var match = found.stream().filter(e -> e.path().equals(wanted)).findFirst();
            if (match.isPresent()) {
                selected.set(match.get());
                return;
            }
        }
        var current = selected.get();
        if (current != null && current.path().startsWith(folder)) {
            selected.set(found.stream().filter(e -> e.path().equals(current.path())).findFirst().orElse(null));
        }
    }

    /// The engines the load dialog offers (Settings → Engines), asked at each dialog; without them (null) it loads on
    /// the app's default library.
    public void offerEngines(Supplier<dev.hearth.inference.pack.@Nullable EngineCatalog> catalog) {
        this.engineCatalog = catalog;
    }
}
