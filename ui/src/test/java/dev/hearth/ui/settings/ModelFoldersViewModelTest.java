package dev.hearth.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.ui.InlineUiTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFoldersViewModelTest {
    @TempDir
    Path dir;

    @Test
    void foldersAddedAndRemovedInSettingsAreKeptAndTheLibraryIsListedAgain() throws Exception {
        var models = Files.createDirectories(dir.resolve("models"));
        var mine = Files.createDirectories(dir.resolve("mine")).toAbsolutePath().normalize();
        var library = new ModelLibrary(models, List.of(), List.of());
        var settingsFile = dir.resolve("settings.json");
        var changes = new AtomicInteger();
        var vm = new ModelFoldersViewModel(new ModelFolders(SettingsStore.open(settingsFile), library), models,
                new InlineUiTasks(), changes::incrementAndGet);
        vm.open();
        assertTrue(vm.folders().isEmpty());

        vm.add(mine);
        assertEquals(List.of(mine), vm.folders());
        assertEquals(List.of(mine), SettingsStore.open(settingsFile).current().modelFolders(), "kept in settings.json");
        assertEquals(List.of(mine), library.userFolders());
        assertEquals(1, changes.get(), "the Models section lists the library again");

        vm.add(dir.resolve("not-there"));
        assertTrue(vm.messageProperty().get().startsWith("no such folder"), vm.messageProperty().get());
        assertEquals(List.of(mine), vm.folders());

        vm.remove(mine);
        assertTrue(vm.folders().isEmpty());
        assertTrue(SettingsStore.open(settingsFile).current().modelFolders().isEmpty());
        assertEquals(2, changes.get());
    }
}
