package dev.hearth.ui.settings;

import dev.hearth.ui.UiTasks;
import java.nio.file.Path;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/// Settings → Model folders: Hearth's own models folder and the folders the user added, with Add and Remove. The
/// same list as the Models section's "Add folder…" and `hearth models folders`; file work runs off the FX thread.
public final class ModelFoldersViewModel {
    private final ModelFolders folders;
    private final Path modelsDir;
    private final UiTasks tasks;
    private final Runnable changed;
    private final ObservableList<Path> list = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    /// @param modelsDir Hearth's own models folder (always listed, not removable)
    /// @param changed   runs on the FX thread after a change (the Models section lists the library again)
    public ModelFoldersViewModel(ModelFolders folders, Path modelsDir, UiTasks tasks, Runnable changed) {
        this.folders = folders;
        this.modelsDir = modelsDir;
        this.tasks = tasks;
        this.changed = changed;
    }

    /// Reads the list.
    public void open() {
        tasks.run(folders::list, list::setAll, e -> message.set("The model folders could not be read: " + e.getMessage()));
    }

    public Path modelsDir() {
        return modelsDir;
    }

    /// The folders the user added, in the order they were added.
    public ObservableList<Path> folders() {
        return list;
    }

    /// One sentence about the last change, or why it was refused.
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public void add(Path dir) {
        change(() -> "Added " + folders.add(dir) + ".", "add " + dir);
    }

    public void remove(Path dir) {
        change(() -> {
            folders.remove(dir);
            return "Removed " + dir + " (its files stay where they are).";
        }, "remove " + dir);
    }

    private interface Change {
        String apply() throws Exception;
    }

    private void change(Change change, String what) {
        tasks.run(() -> new Done(change.apply(), folders.list()), done -> {
            list.setAll(done.folders());
            message.set(done.sentence());
            changed.run();
        }, e -> message.set(e instanceof ModelFolders.FolderException ? e.getMessage()
                : "Could not " + what + ": " + e.getMessage()));
    }

    private record Done(String sentence, java.util.List<Path> folders) {}
}
