package dev.hearth.ui.settings;

import dev.hearth.inference.library.ModelLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/// The model folders the user added: kept in the settings file and applied to the [ModelLibrary], for the window's
/// "Add folder…" and for `hearth models folders`. Both read and write the same settings file; every change re-reads
/// it first, so a folder added by the command line while the window is open is not lost when the window saves.
///
/// Blocking (file I/O): call it off the FX thread, then refresh the library's view.
public final class ModelFolders {
    /// A folder that cannot be added or removed, with one plain sentence saying why.
    public static final class FolderException extends Exception {
        public FolderException(String message) {
            super(message);
        }
    }

    private final SettingsStore settings;
    private final ModelLibrary library;

    /// Applies the folders in `settings` to `library` (which then lists them).
    public ModelFolders(SettingsStore settings, ModelLibrary library) {
        this.settings = settings;
        this.library = library;
        library.setUserFolders(settings.current().modelFolders());
    }

    /// The folders, in the order they were added.
    public List<Path> list() {
        return settings.current().modelFolders();
    }

    /// Adds a folder (made absolute); adding one that is already there changes nothing.
    ///
    /// @return the folder as it is kept
    /// @throws FolderException when it is missing, not a folder, unreadable, or Hearth's own models folder
    public Path add(Path folder) throws FolderException, IOException {
        var dir = folder.toAbsolutePath().normalize();
        if (!Files.exists(dir)) throw new FolderException("no such folder: " + dir);
        if (!Files.isDirectory(dir)) throw new FolderException("not a folder: " + dir);
        if (!Files.isReadable(dir) || !Files.isExecutable(dir)) throw new FolderException("cannot read the folder " + dir);
        if (dir.equals(library.modelsDir())) {
            throw new FolderException(dir + " is Hearth's own models folder, which is always listed");
        }
        var saved = settings.update(s -> {
            if (s.modelFolders().contains(dir)) return s;
            var next = new ArrayList<>(s.modelFolders());
            next.add(dir);
            return s.withModelFolders(next);
        });
        library.setUserFolders(saved.modelFolders());
        return dir;
    }

    /// Removes a folder from the list (its files stay where they are). A folder that has since disappeared from the
    /// disk can still be removed.
    ///
    /// @throws FolderException when the folder is not in the list
    public void remove(Path folder) throws FolderException, IOException {
        var dir = folder.toAbsolutePath().normalize();
        var found = new boolean[1];
        var saved = settings.update(s -> {
            var next = new ArrayList<>(s.modelFolders());
            found[0] = next.remove(dir);
            return found[0] ? s.withModelFolders(next) : s;
        });
        library.setUserFolders(saved.modelFolders());
        if (!found[0]) throw new FolderException(dir + " is not one of the model folders; see 'hearth models folders list'");
    }
}
