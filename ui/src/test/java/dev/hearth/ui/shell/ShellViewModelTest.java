package dev.hearth.ui.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.ui.settings.SettingsStore;
import dev.hearth.ui.settings.Theme;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellViewModelTest {

    @Test
    void theModelsSectionIsOpenAtStart(@TempDir Path dir) {
        var vm = new ShellViewModel(SettingsStore.open(dir.resolve("s.json")));
        assertEquals(Section.MODELS, vm.sectionProperty().get());
    }

    @Test
    void aChosenThemeIsRememberedAcrossRestarts(@TempDir Path dir) {
        var file = dir.resolve("s.json");
        new ShellViewModel(SettingsStore.open(file)).useTheme(Theme.DARK);
        assertEquals(Theme.DARK, new ShellViewModel(SettingsStore.open(file)).themeProperty().get());
    }

    @Test
    void aThemeThatCannotBeSavedIsStillUsedAndTheProblemReported(@TempDir Path dir) throws Exception {
        var blocker = dir.resolve("not-a-folder");
        Files.writeString(blocker, "x");
        var vm = new ShellViewModel(SettingsStore.open(blocker.resolve("s.json")));
        vm.useTheme(Theme.LIGHT);
        assertEquals(Theme.LIGHT, vm.themeProperty().get());
        assertTrue(vm.statusProperty().get().startsWith("Could not save settings"), vm.statusProperty().get());
    }
}
