package dev.hearth.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsStoreTest {

    @Test
    void aMissingFileGivesTheDefaults(@TempDir Path dir) {
        assertEquals(Settings.DEFAULT, SettingsStore.open(dir.resolve("settings.json")).current());
    }

    @Test
    void aSavedThemeIsReadBack(@TempDir Path dir) throws Exception {
        var file = dir.resolve("sub/settings.json");
        SettingsStore.open(file).save(new Settings(Theme.DARK));
        assertEquals(Theme.DARK, SettingsStore.open(file).current().theme());
    }

    @Test
    void aCorruptFileGivesTheDefaultsInsteadOfFailing(@TempDir Path dir) throws Exception {
        var file = dir.resolve("settings.json");
        Files.writeString(file, "{not json");
        assertEquals(Settings.DEFAULT, SettingsStore.open(file).current());
    }

    @Test
    void anUnknownThemeFallsBackToTheDefault(@TempDir Path dir) throws Exception {
        var file = dir.resolve("settings.json");
        Files.writeString(file, "{\"theme\":\"purple\"}");
        assertEquals(Settings.DEFAULT.theme(), SettingsStore.open(file).current().theme());
    }

    @Test
    void keysFromOtherVersionsSurviveASave(@TempDir Path dir) throws Exception {
        var file = dir.resolve("settings.json");
        Files.writeString(file, "{\"theme\":\"light\",\"future\":{\"x\":1}}");
        SettingsStore.open(file).save(new Settings(Theme.DARK));
        var text = Files.readString(file);
        assertTrue(text.contains("\"future\""), text);
        assertTrue(text.contains("\"dark\""), text);
    }

    @Test
    void modelFoldersAreReadBack(@TempDir Path dir) throws Exception {
        var file = dir.resolve("settings.json");
        var folders = java.util.List.of(dir.resolve("a"), dir.resolve("b"));
        SettingsStore.open(file).save(Settings.DEFAULT.withModelFolders(folders));
        assertEquals(folders, SettingsStore.open(file).current().modelFolders());
    }

    @Test
    void folderEntriesThatAreNotAbsolutePathsAreDropped(@TempDir Path dir) throws Exception {
        var file = dir.resolve("settings.json");
        Files.writeString(file, "{\"modelFolders\":[\"relative/x\", 3, \"" + dir.resolve("ok").toString().replace("\\", "\\\\") + "\"]}");
        assertEquals(java.util.List.of(dir.resolve("ok")), SettingsStore.open(file).current().modelFolders());
    }

    @Test
    void anUpdateStartsFromWhatAnotherProcessSavedMeanwhile(@TempDir Path dir) throws Exception {
        var file = dir.resolve("settings.json");
        var window = SettingsStore.open(file);
        SettingsStore.open(file).save(Settings.DEFAULT.withModelFolders(java.util.List.of(dir.resolve("from-cli"))));

        var saved = window.update(s -> s.withTheme(Theme.DARK));
        assertEquals(java.util.List.of(dir.resolve("from-cli")), saved.modelFolders());
        assertEquals(saved, SettingsStore.open(file).current());
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of(file), files.toList(), "no temporary file is left behind");
        }
    }
}
