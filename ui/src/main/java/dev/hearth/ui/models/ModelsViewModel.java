package dev.hearth.ui.models;

import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.ui.Cancellable;
import dev.hearth.ui.UiTasks;
import java.nio.file.Path;
import java.util.List;
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
/// their metadata, and the entry shown in detail (one from the list, or a file the user chose or dropped).
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
    private @Nullable Cancellable scan;

    public ModelsViewModel(ModelLibrary library, UiTasks tasks) {
        this.library = library;
        this.folder = library.modelsDir();
        this.tasks = tasks;
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
        var current = selected.get();
        if (current != null && current.path().startsWith(folder)) {
            selected.set(found.stream().filter(e -> e.path().equals(current.path())).findFirst().orElse(null));
        }
    }
}
