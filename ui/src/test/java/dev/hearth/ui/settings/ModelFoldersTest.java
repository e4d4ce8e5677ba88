package dev.hearth.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.inference.library.ModelSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFoldersTest {
    @TempDir Path dir;

    private ModelLibrary library() {
        return new ModelLibrary(dir.resolve("models"), List.of(), List.of());
    }

    @Test
    void aFolderAddedInOneWindowIsListedByTheNextStart() throws Exception {
        var mine = Files.createDirectories(dir.resolve("mine"));
        Files.write(mine.resolve("M-Q4_0.gguf"), new byte[7]);
        var file = dir.resolve("settings.json");
        var first = library();
        new ModelFolders(SettingsStore.open(file), first).add(mine);
        assertEquals(ModelSource.USER_FOLDER, first.list().getFirst().source());

        var next = library();
        new ModelFolders(SettingsStore.open(file), next);
        assertEquals(List.of(mine), next.userFolders());
        assertEquals(mine.resolve("M-Q4_0.gguf"), next.list().getFirst().path());
    }

    @Test
    void addingTheSameFolderTwiceKeepsOneEntry() throws Exception {
        var mine = Files.createDirectories(dir.resolve("mine"));
        var folders = new ModelFolders(SettingsStore.open(dir.resolve("settings.json")), library());
        folders.add(mine);
        folders.add(mine.resolve("x/.."));
        assertEquals(List.of(mine), folders.list());
    }

    @Test
    void hearthsOwnModelsFolderIsRefused() throws Exception {
        var library = library();
        Files.createDirectories(library.modelsDir());
        var folders = new ModelFolders(SettingsStore.open(dir.resolve("settings.json")), library);
        var e = assertThrows(ModelFolders.FolderException.class, () -> folders.add(library.modelsDir()));
        assertTrue(e.getMessage().contains("always listed"), e.getMessage());
    }

    @Test
    void aFolderGoneFromTheDiskCanStillBeRemoved() throws Exception {
        var mine = Files.createDirectories(dir.resolve("mine"));
        var folders = new ModelFolders(SettingsStore.open(dir.resolve("settings.json")), library());
        folders.add(mine);
        Files.delete(mine);
        folders.remove(mine);
        assertEquals(List.of(), folders.list());
    }
}
