package dev.hearth.ui.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.ui.settings.SettingsStore;
import dev.hearth.ui.settings.Theme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellViewModelTest {

    @Test
    void theModelsSectionIsOpenAtStart(@TempDir Path dir) {
        var vm = new ShellViewModel(SettingsStore.open(dir.resolve("s.json")), _ -> {});
        assertEquals(Section.MODELS, vm.sectionProperty().get());
    }

    @Test
    void aChosenThemeIsRememberedAcrossRestarts(@TempDir Path dir) {
        var file = dir.resolve("s.json");
        new ShellViewModel(SettingsStore.open(file), _ -> {}).useTheme(Theme.DARK);
        assertEquals(Theme.DARK, new ShellViewModel(SettingsStore.open(file), _ -> {}).themeProperty().get());
    }

    @Test
    void aThemeThatCannotBeSavedIsStillUsedAndTheProblemReported(@TempDir Path dir) throws Exception {
        var blocker = dir.resolve("not-a-folder");
        Files.writeString(blocker, "x");
        var problems = new ArrayList<String>();
        var vm = new ShellViewModel(SettingsStore.open(blocker.resolve("s.json")), problems::add);
        vm.useTheme(Theme.LIGHT);
        assertEquals(Theme.LIGHT, vm.themeProperty().get());
        assertEquals(1, problems.size());
        assertTrue(problems.getFirst().startsWith("Could not save settings"), problems.getFirst());
    }
}
